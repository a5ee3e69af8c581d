/**
 * Labelled real images in memory: {@link dev.ganpipe.quality.data.RealData} holds one set (pixels, labels, class
 * names) with a content hash that keys the classifier cache; {@link dev.ganpipe.quality.data.RealDataLoader} reads
 * what users point at through the images module's readers (IDX, folders with class sub-folders or a
 * {@code labels.csv}, the bundled sample) and normalises every image to the generator's shape the way ingest does.
 */
package dev.ganpipe.quality.data;
