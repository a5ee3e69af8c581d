package dev.ganpipe.images.normalize;

/**
 * The largest centred region of an image with the target aspect ratio, so that resizing never stretches: a
 * wide photo loses its left and right edges, a tall one its top and bottom.
 *
 * @param x left edge
 * @param y top edge
 * @param width region width
 * @param height region height
 */
public record CenterCrop(int x, int y, int width, int height) {

    /** The crop of a {@code width x height} image to the aspect ratio {@code targetWidth : targetHeight}. */
    public static CenterCrop of(int width, int height, int targetWidth, int targetHeight) {
        if ((long) width * targetHeight > (long) height * targetWidth) {
            int w = (int) Math.max(1, Math.min(width, Math.round((double) height * targetWidth / targetHeight)));
            return new CenterCrop((width - w) / 2, 0, w, height);
        }
        int h = (int) Math.max(1, Math.min(height, Math.round((double) width * targetHeight / targetWidth)));
        return new CenterCrop(0, (height - h) / 2, width, h);
    }
}
