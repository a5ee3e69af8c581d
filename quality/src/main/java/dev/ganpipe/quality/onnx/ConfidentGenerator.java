package dev.ganpipe.quality.onnx;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ConfidenceFilter;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.model.onnx.GeneratorOutput;
import dev.ganpipe.quality.Generator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A conditional model's images as {@code min_confidence=} serves them: only images whose shipped classifier gives
 * their requested label at least the threshold. Each image asked for that falls short is replaced by one from fresh
 * noise of the same label, up to {@value ConfidenceFilter#MAX_CANDIDATES_PER_IMAGE} candidates per image of each
 * class per call (the generator service's bound), so every measure of the evaluator sees the filtered stream a user
 * receives. Counts candidates and kept images per class ({@link #acceptance()}). Not for concurrent use.
 */
public final class ConfidentGenerator implements Generator {

    private final OnnxModelGenerator model;
    private final double threshold;
    private final long seed;
    private final Map<Integer, long[]> counts = new TreeMap<>();
    private long draws;

    /**
     * @param seed seed of the replacement noise (each call draws fresh noise from it in turn)
     * @throws IllegalArgumentException when the model is unconditional or ships no classifier, or the threshold is not
     *     a probability below 1
     */
    public ConfidentGenerator(OnnxModelGenerator model, double threshold, long seed) {
        this.model = Objects.requireNonNull(model, "model");
        this.threshold = ConfidenceFilter.requireThreshold(threshold, "--min-confidence");
        this.seed = seed;
        if (!model.conditional() || !model.hasConfidence()) {
            throw new IllegalArgumentException(model.description() + (model.conditional() ? " ships no classifier" : " is unconditional")
                    + ", so its images have no confidence to filter on; --min-confidence needs a conditional model exported by a trainer run "
                    + "with --quality-data (drop --min-confidence to evaluate this one).");
        }
    }

    @Override
    public ImageShape shape() {
        return model.shape();
    }

    @Override
    public int noiseDim() {
        return model.noiseDim();
    }

    @Override
    public boolean conditional() {
        return true;
    }

    @Override
    public String description() {
        return model.description() + String.format(Locale.ROOT, ", images kept at label confidence >= %s", threshold);
    }

    @Override
    public float[] generate(float[] z, int count) {
        throw new IllegalStateException(description() + " filters on the confidence for a requested label; call generate(z, labels, count).");
    }

    @Override
    public float[] generate(float[] z, int[] labels, int count) {
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + count + " labels, but " + labels.length + " were given.");
        }
        int values = shape().values();
        int nz = noiseDim();
        float[] out = new float[Math.multiplyExact(count, values)];
        Map<Integer, Integer> asked = new HashMap<>();
        Map<Integer, Integer> tried = new HashMap<>();
        for (int label : labels) {
            asked.merge(label, 1, Integer::sum);
        }
        List<Integer> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pending.add(i);
        }
        float[] noise = z;
        while (!pending.isEmpty()) {
            int n = pending.size();
            int[] pendingLabels = pending.stream().mapToInt(slot -> labels[slot]).toArray();
            GeneratorOutput scored = model.generateScored(noise, pendingLabels, n);
            List<Integer> rejected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int label = pendingLabels[i];
                long[] classCounts = counts.computeIfAbsent(label, c -> new long[2]);
                classCounts[0]++;
                tried.merge(label, 1, Integer::sum);
                if (scored.confidences()[i] >= threshold) {
                    classCounts[1]++;
                    System.arraycopy(scored.images(), i * values, out, pending.get(i) * values, values);
                } else {
                    rejected.add(pending.get(i));
                }
            }
            for (int slot : rejected) {
                int label = labels[slot];
                if (tried.get(label) >= asked.get(label) * ConfidenceFilter.MAX_CANDIDATES_PER_IMAGE) {
                    long missing = rejected.stream().filter(s -> labels[s] == label).count();
                    throw new IllegalStateException(String.format(Locale.ROOT, "Only %d of the %d candidate images of class %d (%d per image asked "
                            + "for, the generator service's bound) reached label confidence %s with %s; lower --min-confidence, or evaluate a "
                            + "better model.", asked.get(label) - missing, tried.get(label), label, ConfidenceFilter.MAX_CANDIDATES_PER_IMAGE,
                            threshold, model.description()));
                }
            }
            pending = rejected;
            noise = Noise.gaussian(seed + 1_000_003L * ++draws, pending.size(), nz);
        }
        return out;
    }

    /** Candidates generated and images kept so far, per requested class. */
    public Acceptance acceptance() {
        Map<Integer, long[]> copy = new TreeMap<>();
        counts.forEach((label, c) -> copy.put(label, c.clone()));
        return new Acceptance(threshold, copy);
    }

    /**
     * How many candidates the filter needed.
     *
     * @param perClass per requested class: {@code [candidates, kept]}
     */
    public record Acceptance(double threshold, Map<Integer, long[]> perClass) {

        /** Kept images over candidates, over every class; 1 when nothing was generated. */
        public double share() {
            long candidates = perClass.values().stream().mapToLong(c -> c[0]).sum();
            long kept = perClass.values().stream().mapToLong(c -> c[1]).sum();
            return candidates == 0 ? 1 : (double) kept / candidates;
        }

        /** One line: the overall share and each class's, named. */
        public String describe(List<String> classNames) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "label confidence >= %s kept %.1f%% of the candidates", threshold,
                    100 * share()));
            String sep = " (";
            for (Map.Entry<Integer, long[]> e : perClass.entrySet()) {
                String name = e.getKey() < classNames.size() ? classNames.get(e.getKey()) : Integer.toString(e.getKey());
                long[] c = e.getValue();
                line.append(sep).append(String.format(Locale.ROOT, "%s %.0f%%", name, c[0] == 0 ? 100.0 : 100.0 * c[1] / c[0]));
                sep = ", ";
            }
            return line.append(perClass.isEmpty() ? "" : ")").toString();
        }
    }
}
