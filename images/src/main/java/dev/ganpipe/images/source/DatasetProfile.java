package dev.ganpipe.images.source;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.normalize.ImageFacts;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.NormalizerSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a dataset is, decided once from its images so that every service agrees: the canonical image shape and the
 * class names. The rules, in docs/DESIGN.md ("Dataset profile"):
 *
 * <ul>
 *   <li><b>Shape</b>: IDX files declare theirs. For folders and archives, the most common image size decides the side:
 *       the largest trainable side ({@link ImageShape#TRAINABLE_SIDES}) not above its shorter edge, so images are only ever
 *       scaled down (28 when they are smaller still); gray only if every image is gray once alpha is composited onto
 *       the background, else RGB.
 *   <li><b>Classes</b>: sub-folder names or a {@code labels.csv}'s label column (the sources' conventions), named by
 *       {@link ClassNaming}: label numbers stay numbers, names are sorted. IDX labels are numbers (Fashion-MNIST's names
 *       when the path says so). No label anywhere: unlabelled, and the trainer trains an unconditional GAN.
 * </ul>
 * Given {@code shape} or {@code classes} win over what the data says; the profile then only reports on the data.
 *
 * @param location what was profiled
 * @param shape the canonical shape ingest normalises every image to
 * @param classes the class names in label order; empty for unlabelled data
 * @param images images found
 * @param labelled of those, how many carry a label
 * @param unreadable images whose header or pixels could not be read (ingest dead-letters them with the reason)
 * @param evidence sentences saying how each choice was made, for a banner or log
 */
public record DatasetProfile(String location, ImageShape shape, Optional<ClassList> classes, long images, long labelled,
        long unreadable, List<String> evidence) {

    /** More distinct labels than this are identifiers, not classes (a generator serves at most 1,000 classes). */
    public static final int MAX_CLASSES = 1000;
    /** How many images' pixels are read to decide gray or RGB; every image's header is read for the size. */
    public static final int PIXEL_SAMPLE = 2000;

    public DatasetProfile {
        evidence = List.copyOf(evidence);
    }

    /** Whether the data is labelled, so a conditional GAN trains on it. */
    public boolean conditional() {
        return classes.isPresent();
    }

    /**
     * Reads {@code location} once (every image's header and label; the pixels of the first {@link #PIXEL_SAMPLE}) and
     * decides what {@code shape} and {@code classes} leave open.
     *
     * @param progress receives a line per 10,000 images of a large dataset
     * @throws IllegalArgumentException when there is no image, or nothing readable, with a sentence saying what to do
     * @throws IOException when the files cannot be read
     */
    public static DatasetProfile scan(String location, Optional<ImageShape> shape, Optional<ClassList> classes, Consumer<String> progress)
            throws IOException {
        NormalizerSettings limits = NormalizerSettings.defaults();
        ImageNormalizer inspector = new ImageNormalizer(limits);
        try (ImageSource source = ImageSources.open(location, SourceOptions.labelsAsWritten(limits.maxBytes()))) {
            if (source instanceof IdxImageSource idx) {
                return ofIdx(location, idx, shape, classes);
            }
            Map<Size, Integer> sizes = new HashMap<>();
            List<String> labels = new ArrayList<>();
            long images = 0;
            long unreadable = 0;
            long pixelsRead = 0;
            Optional<String> colourExample = Optional.empty();
            for (Optional<SourceImage> next = source.next(); next.isPresent(); next = source.next()) {
                SourceImage image = next.get();
                images++;
                if (images % 10_000 == 0) {
                    progress.accept("Profiling " + location + ": " + images + " images read.");
                }
                image.label().map(String::strip).filter(l -> !l.isEmpty()).ifPresent(labels::add);
                boolean readPixels = colourExample.isEmpty() && pixelsRead < PIXEL_SAMPLE && shape.isEmpty();
                Optional<ImageFacts> facts = inspector.inspect(image.encodedBytes(), readPixels);
                if (facts.isEmpty()) {
                    unreadable++;
                    continue;
                }
                sizes.merge(new Size(facts.get().width(), facts.get().height()), 1, Integer::sum);
                if (readPixels) {
                    pixelsRead++;
                    if (!facts.get().gray().orElse(true)) {
                        colourExample = Optional.of(image.sourceId());
                    }
                }
            }
            if (images == 0) {
                throw new IllegalArgumentException("There is no image in " + location + "; put PNG, JPEG, GIF or BMP files in the folder "
                        + "(or in class sub-folders), or give an IDX file or a tar archive of images.");
            }
            if (sizes.isEmpty()) {
                throw new IllegalArgumentException("None of the " + images + " images in " + location + " could be read; check that they are "
                        + "PNG, JPEG, GIF or BMP files, not truncated, and at most " + limits.maxBytes() + " bytes each.");
            }
            List<String> evidence = new ArrayList<>(source.notes());
            ImageShape decided = shape.isPresent() ? shape.get() : decideShape(sizes, pixelsRead, colourExample, evidence);
            shape.ifPresent(s -> evidence.add("Images are normalised to " + s + " as given (--image-shape)."));
            Optional<ClassList> names = decideClasses(location, labels, images, classes, evidence);
            if (unreadable > 0) {
                evidence.add(unreadable + " of " + images + " images could not be read; ingest dead-letters them with the reason.");
            }
            return new DatasetProfile(location, decided, names, images, labels.size(), unreadable, evidence);
        }
    }

    /** One line for a banner, e.g. {@code 2,950 images, 64x64x3, 8 classes (activities, animals-nature, ...)}. */
    public String summary() {
        String classText = classes.map(c -> c.size() + " classes (" + abbreviate(c.names()) + ")").orElse("unlabelled");
        return String.format(Locale.ROOT, "%,d images, %s, %s", images, shape, classText);
    }

    private static DatasetProfile ofIdx(String location, IdxImageSource idx, Optional<ImageShape> shape, Optional<ClassList> classes)
            throws IOException {
        List<String> evidence = new ArrayList<>();
        ImageShape stored = idx.shape();
        ImageShape decided = shape.orElseGet(() -> {
            int side = sideFor(Math.min(stored.width(), stored.height()));
            evidence.add("The IDX file holds " + stored + " images" + (side == stored.width() && side == stored.height()
                    ? "." : "; they are normalised to " + side + "x" + side + "x1, the nearest size the trainer has networks for."));
            return new ImageShape(side, side, 1);
        });
        shape.ifPresent(s -> evidence.add("Images are normalised to " + s + " as given (--image-shape)."));
        long images = idx.size().orElse(0);
        List<String> labels = new ArrayList<>();
        if (idx.labelled()) {
            for (int label : idx.readRemaining().labels()) {
                labels.add(Integer.toString(label));
            }
        } else {
            evidence.add("There is no IDX labels file beside " + location + ".");
        }
        Optional<ClassList> names = decideClasses(location, labels, images, classes, evidence);
        return new DatasetProfile(location, decided, names, images, labels.size(), 0, evidence);
    }

    private static ImageShape decideShape(Map<Size, Integer> sizes, long pixelsRead, Optional<String> colourExample, List<String> evidence) {
        Map.Entry<Size, Integer> dominant = sizes.entrySet().stream()
                .max(Comparator.<Map.Entry<Size, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparingInt(e -> e.getKey().width() * e.getKey().height()))
                .orElseThrow();
        Size size = dominant.getKey();
        int side = sideFor(Math.min(size.width(), size.height()));
        int channels = colourExample.isPresent() ? 3 : 1;
        long total = sizes.values().stream().mapToLong(Integer::longValue).sum();
        evidence.add(String.format(Locale.ROOT, "%s of the %,d readable images are %dx%d%s, so they are normalised to %dx%d (%s).",
                dominant.getValue() == total ? "All" : String.format(Locale.ROOT, "%,d", dominant.getValue()), total, size.width(),
                size.height(), sizes.size() > 1 ? " (" + sizes.size() + " sizes in all; the others are cropped and scaled alike)" : "",
                side, side, side < Math.min(size.width(), size.height()) ? "the largest size the trainer has networks for below theirs"
                        : side > Math.min(size.width(), size.height()) ? "they are smaller than the smallest size the trainer has networks for"
                        : "a size the trainer has networks for"));
        evidence.add(colourExample.map(example -> "They are RGB: " + example + " has colour.")
                .orElse(String.format(Locale.ROOT, "They are gray: all %,d images whose pixels were read have no colour.", pixelsRead)));
        return new ImageShape(side, side, channels);
    }

    private static Optional<ClassList> decideClasses(String location, List<String> labels, long images, Optional<ClassList> classes,
            List<String> evidence) {
        if (classes.isPresent()) {
            long unknown = labels.stream().filter(l -> classes.get().resolve(l).isEmpty()).count();
            evidence.add("Classes as given (--classes): " + abbreviate(classes.get().names()) + "."
                    + (unknown > 0 ? " " + unknown + " labels name none of them; ingest dead-letters those images as bad_label." : ""));
            return classes;
        }
        if (labels.isEmpty()) {
            evidence.add("No image carries a label (class sub-folders, a labels.csv or an IDX labels file), so the GAN is unconditional.");
            return Optional.empty();
        }
        Set<String> distinct = new LinkedHashSet<>(labels);
        if (distinct.size() > MAX_CLASSES) {
            evidence.add(String.format(Locale.ROOT, "The labels name %,d different values, more than the %d classes a generator serves: "
                    + "they look like identifiers, so the GAN is unconditional. Pass --classes to train on some of them.", distinct.size(),
                    MAX_CLASSES));
            return Optional.empty();
        }
        if (distinct.size() < 2) {
            evidence.add("Every label is '" + distinct.iterator().next() + "': one class is no condition, so the GAN is unconditional.");
            return Optional.empty();
        }
        List<String> names = ClassNaming.fromLabels(labels, location);
        evidence.add(String.format(Locale.ROOT, "%,d of %,d images are labelled with %d classes: %s%s.", labels.size(), images, names.size(),
                abbreviate(names), labels.size() < images ? String.format(Locale.ROOT, " (the conditional trainer skips and counts the %,d unlabelled ones)",
                        images - labels.size()) : ""));
        return Optional.of(new ClassList(names));
    }

    /** The largest trainable side not above {@code side}, or the smallest trainable side. */
    static int sideFor(int side) {
        int best = ImageShape.TRAINABLE_SIDES.getFirst();
        for (int s : ImageShape.TRAINABLE_SIDES) {
            if (s <= side) {
                best = s;
            }
        }
        return best;
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 8 ? String.join(", ", names) : String.join(", ", names.subList(0, 8)) + ", ... (" + names.size() + ")";
    }

    private record Size(int width, int height) {
    }
}
