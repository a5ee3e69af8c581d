package dev.ganpipe.generator.continuous;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How continuous mode runs.
 *
 * @param rate images per second; 0 turns continuous mode off
 * @param startSeed image {@code n} is generated from seed {@code startSeed + n}
 * @param labels the label mix for a conditional model: image {@code n} gets {@code labels[n mod size]}, so a label
 *     listed twice comes twice as often; empty means every class in turn. Ignored for an unconditional model.
 */
public record ContinuousSettings(double rate, long startSeed, List<Integer> labels) {

    /** The highest rate accepted: far above what one service can generate, but keeps the pacing arithmetic exact. */
    public static final double MAX_RATE = 1_000_000;

    public ContinuousSettings {
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("The continuous rate must be between 0 (off) and " + (long) MAX_RATE
                    + " images/s, but was " + rate + ".");
        }
        labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("Continuous-mode labels are class numbers, 0 or more, but " + label + " was given.");
            }
        }
    }

    /** Whether continuous mode runs at all. */
    public boolean enabled() {
        return rate > 0;
    }

    /**
     * Parses a label mix: {@code all} or empty for every class in turn, else comma-separated class numbers such as
     * {@code 0,0,3}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<Integer> parseLabels(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("all")) {
            return List.of();
        }
        List<Integer> labels = new ArrayList<>();
        for (String part : trimmed.split(",")) {
            try {
                labels.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("A continuous-mode label mix is 'all' or class numbers separated by commas, e.g. 0,0,3; '"
                        + part.trim() + "' is not a class number.", e);
            }
        }
        return labels;
    }
}
