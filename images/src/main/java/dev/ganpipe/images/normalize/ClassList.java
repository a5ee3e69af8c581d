package dev.ganpipe.images.normalize;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The configured classes, in index order. Labels travel as class indices ({@code "0"}..{@code "9"}); a label may
 * also be given as a class name (a folder name, a {@code labels.csv} entry, {@code ?label=Sneaker}), which maps
 * to its index. Names match ignoring case and anything but letters and digits, so the folder
 * {@code t-shirt_top} matches the class {@code T-shirt/top}.
 *
 * @param names class names, index order
 */
public record ClassList(List<String> names) {

    /** The ten Fashion-MNIST classes, in the order of its labels. */
    public static final String FASHION_MNIST = "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot";

    public ClassList {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("The class list is empty; give at least one class, e.g. --classes cat,dog.");
        }
        for (int i = 0; i < names.size(); i++) {
            String key = key(names.get(i));
            if (key.isEmpty()) {
                throw new IllegalArgumentException("Class " + i + " ('" + names.get(i) + "') has no letter or digit; give every class a name.");
            }
            for (int j = 0; j < i; j++) {
                if (key(names.get(j)).equals(key)) {
                    throw new IllegalArgumentException("Classes '" + names.get(j) + "' and '" + names.get(i)
                            + "' cannot be told apart (case and punctuation are ignored); rename one.");
                }
            }
        }
    }

    /** Parses a comma-separated list, e.g. {@code cat,dog}. */
    public static ClassList parse(String commaSeparated) {
        return new ClassList(Arrays.stream(commaSeparated.split(",")).map(String::trim).toList());
    }

    /** The Fashion-MNIST classes. */
    public static ClassList fashionMnist() {
        return parse(FASHION_MNIST);
    }

    /** The number of classes. */
    public int size() {
        return names.size();
    }

    /**
     * The class index a label stands for: an index in range, or a class name.
     *
     * @return empty when the label is neither
     */
    public OptionalInt resolve(String label) {
        String trimmed = label.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit) && trimmed.length() <= 9) {
            int index = Integer.parseInt(trimmed);
            if (index < size()) {
                return OptionalInt.of(index);
            }
            // A number that is also a class name (classes "10,20") still resolves below.
        }
        String key = key(trimmed);
        for (int i = 0; i < names.size(); i++) {
            if (key(names.get(i)).equals(key)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Maps a name or index to the index as text (the wire form of {@code gan.label}); a label that maps to no
     * class is returned unchanged, so that it reaches the normaliser and is rejected there as {@code bad_label}
     * where it can be counted and inspected.
     */
    public String toWire(String label) {
        OptionalInt index = resolve(label);
        return index.isPresent() ? Integer.toString(index.getAsInt()) : label;
    }

    /** The name of a class index, if in range. */
    public Optional<String> name(int index) {
        return index >= 0 && index < size() ? Optional.of(names.get(index)) : Optional.empty();
    }

    /** A short description for error messages, e.g. {@code 0..9 or a name (T-shirt/top, Trouser, ...)}. */
    public String describe() {
        return "a class index 0.." + (size() - 1) + " or one of the class names (" + String.join(", ", names) + ")";
    }

    @Override
    public String toString() {
        return String.join(",", names);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
