package dev.ganpipe.generator.images;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ConfidenceFilter;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.generator.batch.MicroBatcher;
import dev.ganpipe.generator.model.LoadedModel;
import dev.ganpipe.generator.model.ModelLease;
import dev.ganpipe.generator.model.ModelCatalog;
import dev.ganpipe.generator.onnx.OnnxGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How every channel (HTTP, the request stream, continuous mode) turns a seed into images: the seed's standard-normal
 * noise ({@link Noise#gaussian}), labels for a conditional model, one micro-batched forward pass, and 8-bit pixels.
 * Image {@code i} of {@code (seed, count)} is the same whichever channel asked, so a Kafka image can be reproduced
 * over HTTP from its {@code gan.seed}, {@code gan.index} and model version. Counts
 * {@code gan_generator_images_total}.
 */
public final class Generation {

    /**
     * The bound on a {@code min_confidence} request's work: at most this many candidate images per image asked for,
     * after which the request fails rather than keep the generator busy (the evaluator's {@code --min-confidence}
     * keeps the same bound).
     */
    public static final int MAX_CANDIDATES_PER_IMAGE = ConfidenceFilter.MAX_CANDIDATES_PER_IMAGE;

    private final ModelCatalog catalog;
    private final MicroBatcher batcher;
    private final Counter images;

    /**
     * @param catalog where the models come from
     * @param batcher runs the forward passes
     * @param meters where {@code gan_generator_images_total} is registered
     */
    public Generation(ModelCatalog catalog, MicroBatcher batcher, MeterRegistry meters) {
        this.catalog = catalog;
        this.batcher = batcher;
        this.images = Counter.builder(MetricNames.GENERATOR_IMAGES).description("Images generated").baseUnit("images").register(meters);
    }

    /** A lease on the default model's live version, or empty while none is live; every image of one request comes from one lease. */
    public Optional<ModelLease> acquire() {
        return catalog.acquire();
    }

    /**
     * A lease on the named model (the default one when empty), at {@code version} when given, else its live version;
     * empty while it has none live.
     *
     * @throws dev.ganpipe.generator.model.ModelChoiceException when the name is not served, or none is given while
     *     several are served without a default
     * @throws dev.ganpipe.generator.model.UnavailableModelException when the version is unknown or not loaded
     */
    public Optional<ModelLease> acquire(Optional<String> model, OptionalLong version) {
        return catalog.acquire(model, version);
    }

    /** The batcher that runs the forward passes (its pass size and pace inform admission). */
    public MicroBatcher batcher() {
        return batcher;
    }

    /** The models served. */
    public ModelCatalog catalog() {
        return catalog;
    }

    /**
     * The class index a label given as text stands for: an index as given (checked by {@link #labels}), or one of a
     * conditional model's class names, case-insensitive ({@code Sneaker}, {@code sneaker}).
     *
     * @throws LabelException when the label is a name and the model is unconditional or has no class of that name
     */
    public static OptionalLong labelIndex(LoadedModel model, Optional<String> label) {
        if (label.isEmpty()) {
            return OptionalLong.empty();
        }
        String text = label.get().strip();
        if (text.matches("[+-]?[0-9]+")) {
            return OptionalLong.of(Long.parseLong(text));
        }
        List<String> names = model.generator().classNames();
        if (names.isEmpty()) {
            throw new LabelException("Model v" + model.version() + " is unconditional, so it takes no label; drop the label.");
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(text)) {
                return OptionalLong.of(i);
            }
        }
        throw new LabelException("Label '" + text + "' is not a class of model v" + model.version() + "; give a label 0 to "
                + (names.size() - 1) + " or one of its class names (" + describe(names) + ").");
    }

    /**
     * The labels of {@code count} images: {@code label} for each one, or for a conditional model asked for no label,
     * every class in turn (image {@code i} gets label {@code i mod classes}); null for an unconditional model.
     *
     * @throws LabelException when the model is unconditional and a label was given, or the label is not one of its
     *     classes
     */
    public static long[] labels(LoadedModel model, int count, OptionalLong label) {
        OnnxGenerator generator = model.generator();
        if (!generator.conditional()) {
            if (label.isPresent()) {
                throw new LabelException("Model v" + model.version() + " is unconditional, so it takes no label; drop the label.");
            }
            return null;
        }
        int classes = generator.classNames().size();
        long[] labels = new long[count];
        if (label.isPresent()) {
            long l = label.getAsLong();
            if (l < 0 || l >= classes) {
                throw new LabelException("Label " + l + " is not a class of model v" + model.version() + ": it has " + classes
                        + " classes, labels 0 to " + (classes - 1) + " (" + describe(generator.classNames()) + ").");
            }
            Arrays.fill(labels, l);
        } else {
            for (int i = 0; i < count; i++) {
                labels[i] = i % classes;
            }
        }
        return labels;
    }

    /**
     * Images {@code 0..count-1} of {@code seed} with their labels and, from a model that ships its classifier, their
     * confidences.
     *
     * @param model a model the caller holds a lease on
     * @param labels from {@link #labels}
     */
    public GeneratedImages generate(LoadedModel model, long seed, int count, long[] labels) {
        return generate(model, Noise.gaussian(seed, count, model.generator().noiseDim()), labels, count);
    }

    /**
     * As {@link #generate(LoadedModel, long, int, long[])} from explicit noise rows (e.g. one seed per image in
     * continuous mode); the indices are the rows.
     */
    public GeneratedImages generate(LoadedModel model, float[] z, long[] labels, int count) {
        GeneratorOutput out = batcher.forward(model, z, labels, count);
        int[] indices = new int[count];
        Arrays.setAll(indices, i -> i);
        return new GeneratedImages(decode(model, out.images(), count), indices, labels, out.confidences());
    }

    /**
     * {@code count} images of {@code seed} whose classifier confidence for their label is at least {@code minConfidence}:
     * candidates are rows {@code 0, 1, 2, ...} of the seed's noise (labelled as {@link #labels} labels them), generated
     * in rounds sized by the share that passed so far, and the first {@code count} that pass are kept in row order, so
     * the answer is the same every time and each image can be regenerated from its seed and {@code gan.index}. At most
     * {@value #MAX_CANDIDATES_PER_IMAGE} candidates per image are generated.
     *
     * @param model a model the caller holds a lease on
     * @throws ConfidenceException when the model ships no classifier, or the bound is reached with fewer than
     *     {@code count} confident images
     * @throws LabelException as {@link #labels}
     */
    public GeneratedImages confident(LoadedModel model, long seed, int count, OptionalLong label, double minConfidence) {
        OnnxGenerator generator = model.generator();
        if (!generator.hasConfidence()) {
            throw new ConfidenceException(true, "Model v" + model.version() + " ships no classifier, so it cannot judge its images' confidence; "
                    + "drop min_confidence, or serve a conditional model from a trainer run with --quality-data.");
        }
        int budget = Math.multiplyExact(count, MAX_CANDIDATES_PER_IMAGE);
        int nz = generator.noiseDim();
        float[] noise = Noise.gaussian(seed, budget, nz);
        long[] candidateLabels = labels(model, budget, label);
        List<CanonicalImage> kept = new ArrayList<>(count);
        int[] indices = new int[count];
        long[] keptLabels = new long[count];
        float[] confidences = new float[count];
        int generated = 0;
        while (kept.size() < count && generated < budget) {
            int needed = count - kept.size();
            // Enough candidates for the rest at the pass rate seen so far (all that is left when none passed yet).
            int round = kept.isEmpty() && generated > 0 ? budget - generated
                    : (int) Math.min(budget - generated, generated == 0 ? count : Math.ceil(needed * (double) generated / kept.size()));
            float[] z = Arrays.copyOfRange(noise, generated * nz, (generated + round) * nz);
            long[] roundLabels = Arrays.copyOfRange(candidateLabels, generated, generated + round);
            GeneratorOutput out = batcher.forward(model, z, roundLabels, round);
            ImageShape shape = generator.shape();
            for (int i = 0; i < round && kept.size() < count; i++) {
                if (out.confidences()[i] >= minConfidence) {
                    int k = kept.size();
                    indices[k] = generated + i;
                    keptLabels[k] = roundLabels[i];
                    confidences[k] = out.confidences()[i];
                    kept.add(ModelPixels.fromModelOutput(out.images(), i * shape.values(), shape));
                }
            }
            images.increment(round);
            generated += round;
        }
        if (kept.size() < count) {
            throw new ConfidenceException(false, "Only " + kept.size() + " of the " + budget + " candidate images (" + MAX_CANDIDATES_PER_IMAGE
                    + " per image asked for) reached confidence " + minConfidence + " with model v" + model.version()
                    + "; lower min_confidence, ask for fewer images, or wait for a better model.");
        }
        return new GeneratedImages(kept, indices, keptLabels, confidences);
    }

    /**
     * Images {@code 0..count-1} of {@code seed}.
     *
     * @param model a model the caller holds a lease on
     * @param labels from {@link #labels}
     */
    public List<CanonicalImage> images(LoadedModel model, long seed, int count, long[] labels) {
        return images(model, Noise.gaussian(seed, count, model.generator().noiseDim()), labels, count);
    }

    /**
     * Images from explicit noise rows (e.g. one seed per image in continuous mode).
     *
     * @param model a model the caller holds a lease on
     * @param z {@code count * nz} noise values, row-major
     * @param labels one per image for a conditional model, null otherwise
     */
    public List<CanonicalImage> images(LoadedModel model, float[] z, long[] labels, int count) {
        return decode(model, batcher.generate(model, z, labels, count), count);
    }

    private List<CanonicalImage> decode(LoadedModel model, float[] out, int count) {
        ImageShape shape = model.generator().shape();
        List<CanonicalImage> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(ModelPixels.fromModelOutput(out, i * shape.values(), shape));
        }
        images.increment(count);
        return result;
    }

    private static String describe(List<String> classes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < classes.size() && i < 20; i++) {
            text.append(i == 0 ? "" : ", ").append(i).append('=').append(classes.get(i));
        }
        if (classes.size() > 20) {
            text.append(", ...");
        }
        return text.toString();
    }
}
