package dev.ganpipe.quality.data;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.normalize.Background;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.NormalizerSettings;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.images.source.ClassNaming;
import dev.ganpipe.images.source.IdxFiles;
import dev.ganpipe.images.source.IdxImageSource;
import dev.ganpipe.images.source.ImageSource;
import dev.ganpipe.images.source.ImageSources;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.images.source.SourceOptions;
import dev.ganpipe.quality.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads labelled real images for evaluation and finds their held-out set.
 *
 * <p>What a location may be: {@code sample:fashion-mnist}; an IDX images file (its labels file beside it); a folder
 * holding IDX files, where {@code train*} becomes the training set and {@code t10k*} or {@code test*} the held-out
 * set; a folder with {@code train/} and {@code test/} (or {@code val/}) sub-folders; a folder of class sub-folders
 * or with a {@code labels.csv}; a tar archive of such a folder. Every image passes through the normaliser ingest runs
 * (centre crop, area resize, channel conversion), so the classifier sees what the trainer sees.
 */
public final class RealDataLoader {

    /** Labelled folders and archives are read through a class list that matches no label, so labels come back as written. */
    private static final List<String> HELD_OUT_FOLDERS = List.of("test", "t10k", "val", "validation", "held-out", "heldout");
    private static final int PROGRESS_EVERY = 10_000;
    private static final int MAX_REASONS = 3;

    /**
     * A training set and its held-out set, with the same classes.
     *
     * @param heldOutFrom how the held-out set was found, for reports (e.g. "t10k-images-idx3-ubyte.gz")
     */
    public record Split(RealData train, RealData heldOut, String heldOutFrom) {
    }

    private RealDataLoader() {
    }

    /**
     * Reads the training set at {@code location} and its held-out set: {@code heldOutLocation} when given, else the
     * one the location carries (see the class comment), else a seeded {@code heldOutFraction} of the images.
     *
     * @throws IllegalArgumentException when nothing labelled is there, with a sentence saying what is accepted
     * @throws IOException when files cannot be read
     */
    public static Split load(String location, Optional<String> heldOutLocation, LoaderOptions options, Progress progress) throws IOException {
        if (heldOutLocation.isPresent()) {
            return resolve(location, read(location, options, progress), read(heldOutLocation.get(), options, progress), heldOutLocation.get(), options);
        }
        Path path = Path.of(location);
        if (!location.equals(SampleData.FASHION_MNIST) && Files.isDirectory(path)) {
            Optional<Pair> pair = idxPair(path).or(() -> folderPair(path));
            if (pair.isPresent()) {
                Path train = pair.get().train();
                Path test = pair.get().heldOut();
                return resolve(location, read(train.toString(), options, progress), read(test.toString(), options, progress),
                        test.getFileName() + (Files.isDirectory(test) ? "/" : ""), options);
            }
        }
        RawSet all = read(location, options, progress);
        if (all.size() < 2) {
            throw new IllegalArgumentException(location + " holds only " + all.size() + " labelled image; evaluation needs a training and a "
                    + "held-out set, so give more images or a separate --held-out set.");
        }
        RealData data = resolve(location, all, null, "", options).train();
        int heldOut = (int) Math.max(1, Math.min(data.count() - 1L, Math.round(data.count() * options.heldOutFraction())));
        int[] order = data.sampleIndices(data.count(), options.seed());
        int[] heldOutIdx = Arrays.copyOfRange(order, 0, heldOut);
        int[] trainIdx = Arrays.copyOfRange(order, heldOut, order.length);
        Arrays.sort(heldOutIdx);
        Arrays.sort(trainIdx);
        return new Split(data.subset(trainIdx, data.name() + " (train split)"), data.subset(heldOutIdx, data.name() + " (held-out split)"),
                String.format(Locale.ROOT, "a seeded %.0f%% split of %s", 100 * options.heldOutFraction(), location));
    }

    /**
     * Whether {@code location} is a folder that carries its own held-out set (IDX training and test files, or
     * train/test sub-folders), which {@link #load} then uses rather than splitting the images.
     */
    public static boolean carriesHeldOut(String location) throws IOException {
        Path path = Path.of(location);
        return !location.equals(SampleData.FASHION_MNIST) && Files.isDirectory(path)
                && (idxPair(path).isPresent() || folderPair(path).isPresent());
    }

    /** Reads one labelled set (no split), e.g. a held-out set on its own. */
    public static RealData read(String location, LoaderOptions options) throws IOException {
        return resolve(location, read(location, options, Progress.silent()), null, "", options).train();
    }

    /** Images (canonical pixels, one after another) and their labels as written in the data, before labels become class indices. */
    private record RawSet(String name, byte[] pixels, List<String> labels) {
        int size() {
            return labels.size();
        }
    }

    private static RawSet read(String location, LoaderOptions options, Progress progress) throws IOException {
        // Labels are resolved below, from all of them at once; the normaliser sees none, so its class list is unused.
        NormalizerSettings settings = new NormalizerSettings(options.shape(), ClassList.fashionMnist(), NormalizerSettings.DEFAULT_MAX_BYTES,
                NormalizerSettings.DEFAULT_MAX_PIXELS, NormalizerSettings.DEFAULT_MIN_SIDE, Background.BLACK);
        ImageNormalizer normalizer = new ImageNormalizer(settings);
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<String> labels = new ArrayList<>();
        Map<String, Integer> rejected = new TreeMap<>();
        int unlabelled = 0;
        String firstUnlabelled = null;
        int seen = 0;
        try (ImageSource source = ImageSources.open(location, SourceOptions.labelsAsWritten(NormalizerSettings.DEFAULT_MAX_BYTES))) {
            if (source instanceof IdxImageSource idx && storedAsWanted(idx, options.shape())) {
                return asStored(location, idx.readRemaining(), progress);
            }
            String total = source.size().isPresent() ? Long.toString(source.size().getAsLong()) : "?";
            progress.report("Reading " + total + " images from " + source.description() + " ...");
            for (Optional<SourceImage> next = source.next(); next.isPresent(); next = source.next()) {
                SourceImage image = next.get();
                if (++seen % PROGRESS_EVERY == 0) {
                    progress.report("  read " + seen + "/" + total + " images of " + source.description());
                }
                if (image.label().isEmpty()) {
                    unlabelled++;
                    if (firstUnlabelled == null) {
                        firstUnlabelled = image.sourceId();
                    }
                    continue;
                }
                switch (normalizer.normalize(image.encodedBytes(), Optional.empty())) {
                    case Outcome.Accepted accepted -> {
                        pixels.writeBytes(accepted.image().pixels());
                        labels.add(image.label().get().strip());
                    }
                    case Outcome.Rejected refused -> rejected.merge(refused.reason().name().toLowerCase(Locale.ROOT) + ": " + refused.detail(), 1, Integer::sum);
                }
            }
        }
        if (labels.isEmpty()) {
            if (unlabelled > 0) {
                throw new IllegalArgumentException("The images in " + location + " carry no labels (e.g. " + firstUnlabelled + "); the evaluator "
                        + "trains a classifier on them, so give labelled data: an IDX file with its labels file beside it, a folder with one "
                        + "sub-folder per class, or a folder with a labels.csv (file,label lines).");
            }
            throw new IllegalArgumentException("No usable image was found in " + location + describe(rejected) + "; give an IDX images file, a folder "
                    + "holding IDX files, a folder of labelled images (class sub-folders or labels.csv), a tar archive of one, or "
                    + SampleData.FASHION_MNIST + ".");
        }
        if (unlabelled > 0 || !rejected.isEmpty()) {
            progress.report("  skipped " + unlabelled + " unlabelled and " + rejected.values().stream().mapToInt(Integer::intValue).sum()
                    + " unusable images of " + location + describe(rejected));
        }
        progress.report("  " + labels.size() + " labelled images from " + location);
        return new RawSet(location, pixels.toByteArray(), labels);
    }

    /**
     * Whether an IDX file's pixels already are what the normaliser would make of them: labelled images of the wanted
     * shape (gray, as IDX images are), which the normaliser passes through unchanged. Those skip the PNG round trip.
     */
    private static boolean storedAsWanted(IdxImageSource idx, ImageShape shape) {
        return idx.labelled() && idx.shape().equals(shape) && idx.size().orElse(0) > 0;
    }

    private static RawSet asStored(String location, IdxImageSource.Pixels stored, Progress progress) {
        List<String> labels = new ArrayList<>(stored.labels().length);
        for (int label : stored.labels()) {
            labels.add(Integer.toString(label));
        }
        progress.report("  " + labels.size() + " labelled images from " + location);
        return new RawSet(location, stored.pixels(), labels);
    }

    private static String describe(Map<String, Integer> rejected) {
        if (rejected.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" (");
        int shown = 0;
        for (Map.Entry<String, Integer> e : rejected.entrySet()) {
            if (shown++ == MAX_REASONS) {
                out.append("; ...");
                break;
            }
            out.append(shown > 1 ? "; " : "").append(e.getValue()).append(" x ").append(e.getKey());
        }
        return out.append(')').toString();
    }

    /** Turns raw labels into class indices shared by both sets (held-out may be null: no split yet). */
    private static Split resolve(String location, RawSet train, RawSet heldOut, String heldOutFrom, LoaderOptions options) {
        List<String> names;
        Map<String, Integer> index = new LinkedHashMap<>();
        List<RawSet> sets = heldOut == null ? List.of(train) : List.of(train, heldOut);
        if (options.classNames().isPresent()) {
            names = options.classNames().get();
            ClassList classes = new ClassList(names);
            for (RawSet set : sets) {
                for (String label : set.labels()) {
                    if (!index.containsKey(label)) {
                        OptionalInt resolved = classes.resolve(label);
                        if (resolved.isEmpty()) {
                            throw new IllegalArgumentException("The label '" + label + "' in " + set.name() + " is not " + classes.describe()
                                    + "; fix the data or the class list (--classes).");
                        }
                        index.put(label, resolved.getAsInt());
                    }
                }
            }
        } else {
            names = ClassNaming.fromLabels(train.labels(), location);
            boolean numbered = train.labels().stream().allMatch(ClassNaming::isIndex);
            for (RawSet set : sets) {
                for (String label : set.labels()) {
                    if (numbered && ClassNaming.isIndex(label) && Integer.parseInt(label) < names.size()) {
                        index.put(label, Integer.parseInt(label));
                    } else if (!numbered && set == train) {
                        index.put(label, names.indexOf(label.strip()));
                    }
                }
            }
            if (heldOut != null) {
                for (String label : heldOut.labels()) {
                    if (!index.containsKey(label)) {
                        throw new IllegalArgumentException("The held-out set " + heldOut.name() + " has the class '" + label + "' that the training set "
                                + train.name() + " lacks; both sets need the same classes (or pass them with --classes).");
                    }
                }
            }
        }
        RealData trainData = toData(train, index, names, options);
        RealData heldOutData = heldOut == null ? trainData : toData(heldOut, index, names, options);
        return new Split(trainData, heldOutData, heldOutFrom);
    }

    private static RealData toData(RawSet set, Map<String, Integer> index, List<String> names, LoaderOptions options) {
        int[] labels = new int[set.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = index.get(set.labels().get(i));
        }
        return RealData.of(set.name(), options.shape(), set.pixels(), labels, names);
    }

    /** A training set and its held-out set inside one folder. */
    private record Pair(Path train, Path heldOut) {
    }

    /** A folder's IDX training and test images files ({@code train*} and {@code t10k*} or {@code test*}), when it has both. */
    private static Optional<Pair> idxPair(Path folder) throws IOException {
        Path train = null;
        Path test = null;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.startsWith(".") || !IdxFiles.isIdxImages(file)) {
                    continue;
                }
                if (train == null && name.startsWith("train")) {
                    train = file;
                } else if (test == null && (name.startsWith("t10k") || name.startsWith("test"))) {
                    test = file;
                }
            }
        }
        return train != null && test != null ? Optional.of(new Pair(train, test)) : Optional.empty();
    }

    /** A folder's {@code train/} and held-out ({@code test/}, {@code val/}, ...) sub-folders, when it has both. */
    private static Optional<Pair> folderPair(Path folder) {
        Path train = null;
        Path test = null;
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the folder " + folder.toAbsolutePath() + "; check that it is readable.", e);
        }
        for (Path entry : entries) {
            if (!Files.isDirectory(entry)) {
                continue;
            }
            String name = entry.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.equals("train") || name.equals("training")) {
                train = entry;
            } else if (test == null && HELD_OUT_FOLDERS.contains(name)) {
                test = entry;
            }
        }
        return train != null && test != null ? Optional.of(new Pair(train, test)) : Optional.empty();
    }
}
