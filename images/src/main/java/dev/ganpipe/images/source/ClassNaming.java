package dev.ganpipe.images.source;

import dev.ganpipe.images.normalize.ClassList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Names a dataset's classes from the labels written in it, when nothing else names them: label numbers 0..max become
 * the names "0".."max" (Fashion-MNIST's ten names when the location says it is Fashion-MNIST, as IDX files carry no
 * names), and any other labels are the classes themselves, sorted (the ImageFolder convention), so that the same data
 * always gives the same label order. The evaluator's loader and ingest's dataset profile decide alike through this.
 */
public final class ClassNaming {

    private ClassNaming() {
    }

    /**
     * The class names in label order.
     *
     * @param labels every label as written in the data (duplicates welcome); not empty
     * @param location where the data is, for the Fashion-MNIST case
     */
    public static List<String> fromLabels(Collection<String> labels, String location) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("There are no labels in " + location + " to name classes after.");
        }
        if (labels.stream().allMatch(ClassNaming::isIndex)) {
            int max = labels.stream().mapToInt(Integer::parseInt).max().orElseThrow();
            List<String> fashion = ClassList.fashionMnist().names();
            boolean isFashion = max + 1 == fashion.size() && looksLikeFashionMnist(location);
            List<String> names = new ArrayList<>();
            for (int c = 0; c <= max; c++) {
                names.add(isFashion ? fashion.get(c) : Integer.toString(c));
            }
            return names;
        }
        return List.copyOf(new TreeSet<>(labels.stream().map(String::strip).toList()));
    }

    /** Whether a label is a class number (at most six digits) rather than a name. */
    public static boolean isIndex(String label) {
        return !label.isEmpty() && label.length() <= 6 && label.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static boolean looksLikeFashionMnist(String location) {
        return location.equals(SampleData.FASHION_MNIST) || location.toLowerCase(Locale.ROOT).contains("fashion");
    }
}
