package dev.ganpipe.common.image;

import java.util.List;

/** Lays images out in a grid with a padding of background pixels, as the DCGAN sample grids do. */
public final class ImageGrid {

    private ImageGrid() {
    }

    /** The usual column count for {@code count} images: the ceiling of the square root. */
    public static int columnsFor(int count) {
        return (int) Math.ceil(Math.sqrt(count));
    }

    /**
     * Composes same-shaped images into one image, row by row.
     *
     * @param padding pixels between and around images
     * @param background 0..255 value of the padding
     */
    public static CanonicalImage compose(List<CanonicalImage> images, int columns, int padding, int background) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("A grid needs at least one image.");
        }
        ImageShape tile = images.getFirst().shape();
        int rows = (images.size() + columns - 1) / columns;
        int width = columns * tile.width() + (columns + 1) * padding;
        int height = rows * tile.height() + (rows + 1) * padding;
        ImageShape shape = new ImageShape(width, height, tile.channels());
        byte[] out = new byte[shape.values()];
        java.util.Arrays.fill(out, (byte) background);
        int rowBytes = tile.width() * tile.channels();
        for (int i = 0; i < images.size(); i++) {
            CanonicalImage image = images.get(i);
            if (!image.shape().equals(tile)) {
                throw new IllegalArgumentException("All grid images must share one shape; got " + tile + " and " + image.shape() + ".");
            }
            int x0 = padding + (i % columns) * (tile.width() + padding);
            int y0 = padding + (i / columns) * (tile.height() + padding);
            for (int y = 0; y < tile.height(); y++) {
                System.arraycopy(image.pixels(), y * rowBytes, out, ((y0 + y) * width + x0) * tile.channels(), rowBytes);
            }
        }
        return new CanonicalImage(shape, out);
    }
}
