/**
 * Readers of image collections on disk: IDX files (the MNIST family, gzipped or not, with their labels file),
 * folders of image files (labels from sub-folder names or a {@code labels.csv}), tar and tar.gz archives, single
 * image files, and the bundled Fashion-MNIST sample. Every reader yields {@link dev.ganpipe.images.source.SourceImage}s
 * holding encoded image bytes, ready for {@code images.raw} (ingest publishes them) or for the normaliser (the quality
 * evaluator reads real images so). {@link dev.ganpipe.images.source.IdxImageSource} is the one IDX reader: it also hands
 * out a file's pixels as stored, for readers that want canonical pixels without a PNG round trip.
 */
package dev.ganpipe.images.source;
