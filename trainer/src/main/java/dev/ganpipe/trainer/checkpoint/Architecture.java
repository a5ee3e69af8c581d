package dev.ganpipe.trainer.checkpoint;

import dev.ganpipe.trainer.gan.GanConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What fixes the shape of the networks' tensors. A checkpoint can only be resumed by a trainer of the same
 * architecture; learning rates, seeds and thread counts may change between runs.
 *
 * @param imageSize image height and width
 * @param channels image channels
 * @param noiseDim length of z
 * @param generatorWidth base feature maps of the generator
 * @param discriminatorWidth base feature maps of the discriminator
 * @param spectralNorm whether the discriminator is spectrally normalised (it then has no BatchNorm)
 * @param classes class labels of a conditional GAN, 0 for an unconditional one
 */
public record Architecture(int imageSize, int channels, int noiseDim, int generatorWidth, int discriminatorWidth,
        boolean spectralNorm, int classes) {

    /** The architecture a configuration builds. */
    public static Architecture of(GanConfig config) {
        return new Architecture(config.imageSize(), config.channels(), config.noiseDim(), config.generatorWidth(),
                config.discriminatorWidth(), config.spectralNorm(), config.classes());
    }

    /**
     * What differs from {@code configured}, one phrase per field, e.g. {@code "generator width 16 in the checkpoint,
     * 64 configured (--generator-width)"}; empty when they match.
     */
    public List<String> differencesFrom(Architecture configured) {
        List<String> out = new ArrayList<>();
        compare(out, "image size", imageSize, configured.imageSize, "--image-shape");
        compare(out, "channels", channels, configured.channels, "--image-shape");
        compare(out, "noise size", noiseDim, configured.noiseDim, "--noise-dim");
        compare(out, "generator width", generatorWidth, configured.generatorWidth, "--generator-width");
        compare(out, "discriminator width", discriminatorWidth, configured.discriminatorWidth, "--discriminator-width");
        compare(out, "spectral normalisation", spectralNorm, configured.spectralNorm, "--spectral-norm");
        compare(out, "classes", classes, configured.classes, "--conditional and --classes; 0 means unconditional");
        return out;
    }

    private static void compare(List<String> out, String what, Object saved, Object configured, String flag) {
        if (!saved.equals(configured)) {
            out.add(what + " " + saved + " in the checkpoint, " + configured + " configured (" + flag + ")");
        }
    }
}
