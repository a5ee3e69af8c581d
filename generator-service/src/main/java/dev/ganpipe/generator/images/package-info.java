/**
 * Images from seeds: {@link dev.ganpipe.generator.images.Generation} is the one path from (model, seed, count,
 * label) to 8-bit images that HTTP, the request stream and continuous mode share; all of them write PNGs with the
 * project's one encoder, {@link dev.ganpipe.common.image.PngEncoder}.
 */
package dev.ganpipe.generator.images;
