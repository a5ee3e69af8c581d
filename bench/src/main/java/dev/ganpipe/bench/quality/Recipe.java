package dev.ganpipe.bench.quality;

import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.trainer.gan.Augmentation;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** One training recipe of the study: which stabilisers are on, or the PyTorch reference. */
enum Recipe {
    /** Plain DCGAN: no weight average, no spectral norm, unconditional, no replay. */
    SEED("seed", "seed (plain DCGAN)", 0, false, false, 0, false),
    /** The weight average at the trainer's default decay. */
    EMA("ema", "+EMA", GanConfig.DEFAULT_EMA_DECAY, false, false, 0, false),
    /** Spectral normalisation in the discriminator, no weight average. */
    SN("sn", "+SN", 0, true, false, 0, false),
    /** Both. */
    EMA_SN("ema-sn", "+EMA+SN", GanConfig.DEFAULT_EMA_DECAY, true, false, 0, false),
    /** The weight average and a conditional GAN fed the dataset's labels. */
    EMA_CONDITIONAL("ema-conditional", "+EMA+conditional", GanConfig.DEFAULT_EMA_DECAY, false, true, 0, false),
    /** The weight average and half of every batch replayed from the reservoir buffer. */
    EMA_REPLAY("ema-replay", "+EMA+replay 0.5", GanConfig.DEFAULT_EMA_DECAY, false, false, 0.5, false),
    /**
     * The trainer as {@code ./gan demo --data} runs it: the weight average, no labels, and the images fed as the pipeline
     * feeds them: each arrives once, as from a training topic a dataset was ingested into, so batches are fresh images
     * alone while that backlog lasts, and once the stream is dry the trainer trains on its replay buffer (idle policy
     * 'train'). The replay ratio 0.5 mixes replayed images in only when the trainer has caught up with a live stream.
     */
    PIPELINE("pipeline", "trainer as the pipeline runs it (+EMA, replay 0.5, each image streamed once)", GanConfig.DEFAULT_EMA_DECAY,
            false, false, 0.5, false),
    /**
     * As {@link #PIPELINE}, conditional on the images' labels (what {@code --conditional true} trains), with the
     * trainer's default {@code --augment auto}: ADA while fewer than {@link Augmentation#AUTO_UNTIL_IMAGES} distinct
     * images have been seen, off from there.
     */
    PIPELINE_CONDITIONAL("pipeline-conditional", "trainer as the pipeline runs it, conditional", GanConfig.DEFAULT_EMA_DECAY,
            false, true, 0.5, false, Objective.Loss.BCE, Augmentation.AUTO),
    /** As {@link #PIPELINE_CONDITIONAL} with augmentation off whatever the data's size ({@code --augment off}). */
    PIPELINE_CONDITIONAL_OFF("pipeline-conditional-off", "trainer as the pipeline runs it, conditional, no augmentation",
            GanConfig.DEFAULT_EMA_DECAY, false, true, 0.5, false),
    /**
     * As {@link #PIPELINE_CONDITIONAL_OFF} with the hinge loss the projection discriminator was published with (Miyato and
     * Koyama 2018), against the conditional collapse BCE showed (docs/quality.md).
     */
    PIPELINE_CONDITIONAL_HINGE("pipeline-conditional-hinge", "trainer as the pipeline runs it, conditional, hinge loss",
            GanConfig.DEFAULT_EMA_DECAY, false, true, 0.5, false, Objective.Loss.HINGE),
    /**
     * As {@link #PIPELINE_CONDITIONAL_OFF} with DiffAugment as published (colour, translation and cutout on every image the
     * discriminator sees: {@code --augment diffaugment}), the small-data remedy issue 18 asks to measure.
     */
    PIPELINE_CONDITIONAL_DIFFAUGMENT("pipeline-conditional-diffaugment", "trainer as the pipeline runs it, conditional, DiffAugment",
            GanConfig.DEFAULT_EMA_DECAY, false, true, 0.5, false, Objective.Loss.BCE,
            Augmentation.parse("diffaugment", String.join(",", Augmentation.OPERATIONS), 1, Augmentation.DEFAULT_TARGET)),
    /** As {@link #PIPELINE_CONDITIONAL_OFF} with adaptive augmentation ({@code --augment ada}: p from 0, steered to r_t = 0.6). */
    PIPELINE_CONDITIONAL_ADA("pipeline-conditional-ada", "trainer as the pipeline runs it, conditional, ADA",
            GanConfig.DEFAULT_EMA_DECAY, false, true, 0.5, false, Objective.Loss.BCE,
            Augmentation.parse("ada", String.join(",", Augmentation.OPERATIONS), 0, Augmentation.DEFAULT_TARGET)),
    /**
     * As {@link #PIPELINE_CONDITIONAL_OFF} with the R1 penalty at weight {@value #R1_GAMMA}, lazily every
     * {@value Objective#DEFAULT_R1_INTERVAL} steps ({@code --r1-gamma}), the other small-data remedy issue 18 names.
     */
    PIPELINE_CONDITIONAL_R1("pipeline-conditional-r1", "trainer as the pipeline runs it, conditional, R1",
            GanConfig.DEFAULT_EMA_DECAY, false, true, 0.5, false, Objective.Loss.BCE, Augmentation.OFF, Recipe.R1_GAMMA),
    /** The bench's PyTorch eager DCGAN with the weight average, trained on the same images in the same order. */
    PYTORCH("pytorch", "PyTorch reference (+EMA)", GanConfig.DEFAULT_EMA_DECAY, false, false, 0, true),
    /** The same PyTorch DCGAN as the plain seed recipe: no weight average, what a plain PyTorch DCGAN script trains. */
    PYTORCH_SEED("pytorch-seed", "PyTorch seed recipe", 0, false, false, 0, true);

    /** The R1 weight of {@link #PIPELINE_CONDITIONAL_R1}. */
    static final double R1_GAMMA = 0.1;

    private final String id;
    private final String title;
    private final double emaDecay;
    private final boolean spectralNorm;
    private final boolean conditional;
    private final double replayRatio;
    private final boolean pytorch;
    private final Objective.Loss loss;
    private final Augmentation augmentation;
    private final double r1Gamma;

    Recipe(String id, String title, double emaDecay, boolean spectralNorm, boolean conditional, double replayRatio, boolean pytorch) {
        this(id, title, emaDecay, spectralNorm, conditional, replayRatio, pytorch, Objective.Loss.BCE);
    }

    Recipe(String id, String title, double emaDecay, boolean spectralNorm, boolean conditional, double replayRatio, boolean pytorch,
            Objective.Loss loss) {
        this(id, title, emaDecay, spectralNorm, conditional, replayRatio, pytorch, loss, Augmentation.OFF);
    }

    Recipe(String id, String title, double emaDecay, boolean spectralNorm, boolean conditional, double replayRatio, boolean pytorch,
            Objective.Loss loss, Augmentation augmentation) {
        this(id, title, emaDecay, spectralNorm, conditional, replayRatio, pytorch, loss, augmentation, 0);
    }

    Recipe(String id, String title, double emaDecay, boolean spectralNorm, boolean conditional, double replayRatio, boolean pytorch,
            Objective.Loss loss, Augmentation augmentation, double r1Gamma) {
        this.r1Gamma = r1Gamma;
        this.loss = loss;
        this.augmentation = augmentation;
        this.id = id;
        this.title = title;
        this.emaDecay = emaDecay;
        this.spectralNorm = spectralNorm;
        this.conditional = conditional;
        this.replayRatio = replayRatio;
        this.pytorch = pytorch;
    }

    /** The name {@code --recipes} takes. */
    String id() {
        return id;
    }

    /** The name the table shows. */
    String title() {
        return title;
    }

    double emaDecay() {
        return emaDecay;
    }

    boolean spectralNorm() {
        return spectralNorm;
    }

    boolean conditional() {
        return conditional;
    }

    /** Share of each batch replayed from the buffer (0: every image fresh). */
    double replayRatio() {
        return replayRatio;
    }

    /** Whether the images arrive once, as from a topic, rather than epoch after epoch. */
    boolean streamedOnce() {
        return id.startsWith("pipeline");
    }

    /**
     * Whether the published generator is chosen between the weight average and the live one by the trainer's own
     * measurement, as the pipeline's trainer does ({@code --publish-weights auto}); the other EMA recipes publish the
     * average.
     */
    boolean choosesWeights() {
        return streamedOnce();
    }

    /** Whether this recipe runs the PyTorch reference rather than the trainer. */
    boolean pytorch() {
        return pytorch;
    }

    /** {@code base} with this recipe's stabilisers; {@code classes} is used when the recipe is conditional. */
    GanConfig configure(GanConfig base, int classes) {
        return base.withEmaDecay(emaDecay).withSpectralNorm(spectralNorm).withClasses(conditional ? classes : 0)
                .withObjective(new Objective(loss, base.objective().discriminatorLearningRate()).withR1(r1Gamma, Objective.DEFAULT_R1_INTERVAL))
                .withAugmentation(augmentation);
    }

    /** Every id, comma-separated, in table order. */
    static String allIds() {
        return Arrays.stream(values()).map(Recipe::id).collect(Collectors.joining(","));
    }

    /**
     * Parses a comma-separated list of ids ({@code all} for every recipe), keeping the given order and dropping
     * repeats.
     *
     * @throws ConfigException naming the unknown id and listing the known ones
     */
    static List<Recipe> parseList(String text) {
        Set<Recipe> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all")) {
                out.addAll(List.of(values()));
                continue;
            }
            out.add(Arrays.stream(values()).filter(r -> r.id.equals(name)).findFirst().orElseThrow(() -> new ConfigException(
                    "--recipes names an unknown recipe '" + part.strip() + "'; use 'all' or a comma-separated list of " + allIds() + ".")));
        }
        if (out.isEmpty()) {
            throw new ConfigException("--recipes is empty; use 'all' or a comma-separated list of " + allIds() + ".");
        }
        return new ArrayList<>(out);
    }
}
