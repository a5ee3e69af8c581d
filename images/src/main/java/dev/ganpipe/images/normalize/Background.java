package dev.ganpipe.images.normalize;

import java.util.Locale;

/**
 * The colour transparent pixels are composited onto. Fashion-MNIST draws light garments on black, so black is
 * the default: a transparent cut-out then looks like the training data.
 *
 * @param red 0..255
 * @param green 0..255
 * @param blue 0..255
 */
public record Background(int red, int green, int blue) {

    public static final Background BLACK = new Background(0, 0, 0);
    public static final Background WHITE = new Background(255, 255, 255);

    public Background {
        if ((red | green | blue) < 0 || red > 255 || green > 255 || blue > 255) {
            throw new IllegalArgumentException("Background channels are 0..255, but got " + red + "," + green + "," + blue + ".");
        }
    }

    /**
     * Parses {@code black}, {@code white}, a gray level {@code 0..255} or {@code #rrggbb}.
     *
     * @throws IllegalArgumentException with a sentence listing the accepted forms
     */
    public static Background parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("black")) {
                return BLACK;
            }
            if (t.equals("white")) {
                return WHITE;
            }
            if (t.matches("#[0-9a-f]{6}")) {
                int rgb = Integer.parseInt(t.substring(1), 16);
                return new Background((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
            }
            if (t.matches("[0-9]{1,3}")) {
                int gray = Integer.parseInt(t);
                return new Background(gray, gray, gray);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(formsMessage(text), e);
        }
        throw new IllegalArgumentException(formsMessage(text));
    }

    /** The gray level of this colour (ITU-R BT.601 luma, as for gray conversion of images). */
    public double gray() {
        return 0.299 * red + 0.587 * green + 0.114 * blue;
    }

    private static String formsMessage(String text) {
        return "A background is black, white, a gray level 0..255 or #rrggbb, but got '" + text + "'.";
    }
}
