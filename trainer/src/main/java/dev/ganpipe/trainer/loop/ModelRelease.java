package dev.ganpipe.trainer.loop;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.common.model.onnx.OnnxProto;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.publish.ModelSink;
import dev.ganpipe.trainer.quality.ConfidenceHead;
import dev.ganpipe.trainer.quality.PublishGate;
import dev.ganpipe.trainer.quality.QualityMonitor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything about releasing a generator in one place: when an export is due (the schedule), whether it may go out
 * (the quality gate) and what it carries (the ONNX metadata, the shipped classifier of a conditional generator and the
 * manifest's scores). The order is fixed: judge,
 * export, publish; the loop checkpoints after it. Used by the training thread only.
 */
public final class ModelRelease {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRelease.class);
    /** The producer the trainer's models name in their metadata. */
    public static final String PRODUCER = "gan-pipeline trainer";

    private final ModelSink sink;
    private final PublishGate gate; // null when no gate judges exports
    private final ConfidenceHead confidence; // null when no classifier is shipped
    private final TrainerMetrics metrics;
    private final Schedule schedule;
    private final ImageShape shape;
    private final List<String> classNames;
    private final Clock clock;
    private long lastStep;
    private Instant lastTime;

    /**
     * @param sink where published generators go
     * @param gate judges each export before it is published; empty publishes every export
     * @param metrics counts refusals and failed measurements
     * @param schedule the export interval in steps and time
     * @param shape the images' shape, recorded in the model
     * @param classNames a conditional generator's class names in label order, recorded in the model; empty for none
     * @param clock time source of the time-based schedule
     */
    public ModelRelease(ModelSink sink, Optional<? extends PublishGate> gate, TrainerMetrics metrics, Schedule schedule,
            ImageShape shape, List<String> classNames, Clock clock) {
        this(sink, gate, Optional.empty(), metrics, schedule, shape, classNames, clock);
    }

    /**
     * As above, with the classifier that a conditional generator ships beside it (DESIGN.md, "Model file"): appended to
     * each export before it is published, so the model's checksum and signature cover it.
     */
    public ModelRelease(ModelSink sink, Optional<? extends PublishGate> gate, Optional<? extends ConfidenceHead> confidence,
            TrainerMetrics metrics, Schedule schedule, ImageShape shape, List<String> classNames, Clock clock) {
        this.sink = sink;
        this.classNames = List.copyOf(classNames);
        this.gate = gate.orElse(null);
        this.confidence = confidence.orElse(null);
        this.metrics = metrics;
        this.schedule = schedule;
        this.shape = shape;
        this.clock = clock;
        this.lastTime = clock.instant();
    }

    /** A release whose models name no classes. */
    public ModelRelease(ModelSink sink, Optional<? extends PublishGate> gate, TrainerMetrics metrics, Schedule schedule,
            ImageShape shape, Clock clock) {
        this(sink, gate, metrics, schedule, shape, List.of(), clock);
    }

    /** Starts the schedule at {@code step}: a resumed run counts its next export from where it resumed. */
    void startAt(long step) {
        lastStep = step;
        lastTime = clock.instant();
    }

    /** Whether an export is due after {@code step}: enough steps or time since the last one. */
    boolean due(long step) {
        return step - lastStep >= schedule.exportEverySteps()
                || Duration.between(lastTime, clock.instant()).compareTo(schedule.exportEvery()) >= 0;
    }

    /** The step of the last export attempt (or where the schedule started). */
    long lastStep() {
        return lastStep;
    }

    /** Where published generators go (for the newest version and manifest). */
    ModelSink sink() {
        return sink;
    }

    /**
     * Judges, exports and publishes the generator as it is after {@code result}. A refusal, a failed measurement and a
     * failed publish are logged and counted; training goes on and the next export tries again.
     *
     * @return whether quality was measured on the way (so a scheduled measurement at the same step is not repeated)
     */
    boolean release(GanTrainingCore core, StepResult result) {
        lastStep = result.step();
        lastTime = clock.instant();
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("d_loss", (double) result.dLoss());
        scores.put("g_loss", (double) result.gLoss());
        scores.put("d_real", (double) result.dRealMean());
        scores.put("d_fake", (double) result.dFakeMean());
        QualityMonitor.Verdict verdict = null;
        if (gate != null) {
            try {
                verdict = gate.judge(core);
            } catch (RuntimeException e) {
                // An evaluator that cannot measure must not stop training; the export waits for the next one.
                LOG.error("Measuring quality at step {} failed, so nothing was published: {}", result.step(), e.getMessage(), e);
                metrics.qualityFailed();
                return true;
            }
            if (!verdict.publish()) {
                metrics.gateRefused();
                LOG.warn("The quality gate kept the generator of step {} from publishing: {}. The live model stays; "
                        + "training goes on and the next export is judged again.", result.step(), verdict.reason());
                return true;
            }
            scores.putAll(verdict.manifestScores());
        }
        try {
            byte[] onnx = withClassifier(core.exportGeneratorOnnx(metadata(core.config(), shape, classNames, result.step(), PRODUCER)),
                    core.config().classes());
            sink.publish(onnx, result.step(), shape.toString(), core.config().noiseDim(), scores);
            if (verdict != null) {
                gate.published(verdict);
                LOG.info("The quality gate published the generator of step {}: {}.", result.step(), verdict.reason());
            }
        } catch (RuntimeException e) {
            // Publishing is retried at the next export; training goes on meanwhile.
            LOG.error("Export at step {} failed: {}", result.step(), e.getMessage(), e);
        }
        return verdict != null;
    }

    private byte[] withClassifier(byte[] generator, int classes) {
        if (confidence == null) {
            return generator;
        }
        return confidence.extension(classes).map(extension -> OnnxProto.extend(generator, extension)).orElse(generator);
    }

    /**
     * The metadata a trainer's ONNX model carries (docs/DESIGN.md, "Model file"): what the generator service and the
     * evaluator read back. Anything else that exports the trainer's generator writes the same keys through this.
     *
     * @param producer who made the model, e.g. {@value #PRODUCER}
     */
    public static Map<String, String> metadata(GanConfig gan, ImageShape shape, long step, String producer) {
        return metadata(gan, shape, List.of(), step, producer);
    }

    /**
     * As {@link #metadata(GanConfig, ImageShape, long, String)}, with a conditional generator's class names (comma-separated,
     * label order) when there are as many as it has labels.
     */
    public static Map<String, String> metadata(GanConfig gan, ImageShape shape, List<String> classNames, long step, String producer) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(ModelMetadata.STEP, Long.toString(step));
        props.put(ModelMetadata.IMAGE_SHAPE, shape.toString());
        props.put(ModelMetadata.NOISE_DIM, Integer.toString(gan.noiseDim()));
        props.put(ModelMetadata.NUM_CLASSES, Integer.toString(gan.classes()));
        if (gan.conditional() && classNames.size() == gan.classes()) {
            props.put(ModelMetadata.CLASS_NAMES, String.join(",", classNames));
        }
        props.put(ModelMetadata.PRODUCER, producer);
        return props;
    }
}
