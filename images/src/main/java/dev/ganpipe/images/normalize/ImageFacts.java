package dev.ganpipe.images.normalize;

import java.util.Optional;

/**
 * What {@link ImageNormalizer#inspect} learnt of an image before normalising it.
 *
 * @param format the encoding
 * @param width declared width in pixels
 * @param height declared height in pixels
 * @param gray whether every pixel is gray (alpha composited onto the background); empty when the pixels were not read
 */
public record ImageFacts(InputImageFormat format, int width, int height, Optional<Boolean> gray) {
}
