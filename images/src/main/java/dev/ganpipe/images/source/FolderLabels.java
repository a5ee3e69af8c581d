package dev.ganpipe.images.source;

import dev.ganpipe.images.normalize.ClassList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Labels for the images of a folder or archive, given their paths relative to its root ({@code /}-separated).
 * A {@code labels.csv} at the root ({@code file,label} lines, an optional header line) wins; otherwise, when
 * images sit in sub-folders, the first sub-folder names the class (the ImageFolder convention:
 * {@code root/Sneaker/a.png}, {@code root/7/b.png}) and images at the root are unlabelled; a flat folder is
 * unlabelled. Names go through the class list, so labels leave here as class indices.
 */
final class FolderLabels {

    static final String LABELS_CSV = "labels.csv";

    private final Map<String, String> csv;
    private final boolean useCsv;
    private final boolean subFolders;
    private final ClassList classes;

    private final List<String> notes;

    private FolderLabels(Map<String, String> csv, boolean useCsv, boolean subFolders, ClassList classes, List<String> notes) {
        this.csv = csv;
        this.useCsv = useCsv;
        this.subFolders = subFolders;
        this.classes = classes;
        this.notes = List.copyOf(notes);
    }

    /** What a user should know about the labels, e.g. {@code labels.csv} lines naming no image; empty when nothing. */
    List<String> notes() {
        return notes;
    }

    /**
     * @param relativePaths every image path relative to the root
     * @param labelsCsv the text of the root's {@code labels.csv}, if it has one
     * @param where the folder or archive, for error messages
     * @throws IllegalArgumentException when a {@code labels.csv} line has no comma
     */
    static FolderLabels of(List<String> relativePaths, Optional<String> labelsCsv, ClassList classes, String where) {
        boolean subFolders = relativePaths.stream().anyMatch(p -> p.contains("/"));
        if (labelsCsv.isEmpty()) {
            return new FolderLabels(Map.of(), false, subFolders, classes, List.of());
        }
        Map<String, String> csv = new HashMap<>();
        String[] lines = labelsCsv.get().split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // File names may hold commas, labels never do: split at the last one.
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException("Line " + (i + 1) + " of " + LABELS_CSV + " in " + where
                        + " has no comma; write each line as file,label (e.g. img001.png,3).");
            }
            String file = normalise(unquote(line.substring(0, comma)));
            String label = unquote(line.substring(comma + 1));
            if (i == 0 && List.of("file", "filename", "path", "image").contains(file.toLowerCase(Locale.ROOT))) {
                continue;
            }
            csv.put(file, label);
        }
        Set<String> present = new HashSet<>();
        for (String p : relativePaths) {
            String n = normalise(p);
            present.add(n);
            present.add(n.substring(n.lastIndexOf('/') + 1));
        }
        List<String> missing = csv.keySet().stream().filter(f -> !present.contains(f)).sorted().toList();
        List<String> notes = missing.isEmpty() ? List.of() : List.of(missing.size() + " line" + (missing.size() == 1 ? "" : "s") + " of "
                + LABELS_CSV + " in " + where + " name" + (missing.size() == 1 ? "s" : "") + " no image there (e.g. " + missing.getFirst()
                + "); check the file names in " + LABELS_CSV + " (paths relative to it, or bare file names).");
        return new FolderLabels(csv, true, subFolders, classes, notes);
    }

    /** The label of an image, as a class index when the name is a class (see {@link ClassList#toWire}). */
    Optional<String> labelFor(String relativePath) {
        String path = normalise(relativePath);
        if (useCsv) {
            String label = csv.get(path);
            if (label == null) {
                label = csv.get(path.substring(path.lastIndexOf('/') + 1));
            }
            return label == null || label.isBlank() ? Optional.empty() : Optional.of(classes.toWire(label));
        }
        int slash = path.indexOf('/');
        if (!subFolders || slash < 0) {
            return Optional.empty();
        }
        return Optional.of(classes.toWire(path.substring(0, slash)));
    }

    /**
     * A path in the form labels are looked up by: {@code /}-separated, without leading {@code ./}; the same for a
     * folder's files, an archive's entries and the lines of {@code labels.csv}.
     */
    static String normalise(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
