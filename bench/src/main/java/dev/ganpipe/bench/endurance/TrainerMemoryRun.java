package dev.ganpipe.bench.endurance;

import dev.ganpipe.common.model.Noise;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.TrainingState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The child JVM of part 2: a {@link GanTrainingCore} trained from memory for a number of steps, making the calls the
 * trainer's loop makes besides the step (a 64-image sample grid every 100 steps, an ONNX export and a full state
 * snapshot for a checkpoint every 500), printing one {@code sample} line per measurement to stdout and progress to
 * stderr. Run by {@link TrainerMemory}; its heap is fixed and pre-touched there, so resident growth is native.
 */
public final class TrainerMemoryRun {

    /** Prefix of the lines the parent parses. */
    static final String SAMPLE = "sample";
    static final int SAMPLE_EVERY = 100;
    static final int EXPORT_EVERY = 500;
    private static final int DISTINCT_BATCHES = 8;

    private TrainerMemoryRun() {
    }

    /** Arguments: steps, generator width, discriminator width, batch size, PyTorch threads (0: engine default). */
    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("Usage: TrainerMemoryRun STEPS GENERATOR_WIDTH DISCRIMINATOR_WIDTH BATCH THREADS; it is started by "
                    + "'./gan bench endurance', run that instead.");
            System.exit(2);
        }
        long steps = Long.parseLong(args[0]);
        GanConfig config = GanConfig.dcgan28().withWidths(Integer.parseInt(args[1]), Integer.parseInt(args[2]))
                .withThreads(Integer.parseInt(args[4]));
        int batch = Integer.parseInt(args[3]);
        train(config, batch, steps);
        System.exit(0);
    }

    private static void train(GanConfig config, int batch, long steps) {
        Random random = new Random(1);
        float[][] batches = new float[DISTINCT_BATCHES][batch * config.imageElements()];
        for (float[] b : batches) {
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextFloat() * 2f - 1f;
            }
        }
        float[] sampleNoise = Noise.gaussian(1, 64, config.noiseDim());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long started = System.nanoTime();
        long exportedBytes = 0;
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            report(0, memory, started);
            for (long step = 1; step <= steps; step++) {
                core.trainStep(batches[(int) (step % DISTINCT_BATCHES)], null, batch);
                if (step % SAMPLE_EVERY == 0) {
                    core.generate(sampleNoise, null, 64);
                }
                if (step % EXPORT_EVERY == 0) {
                    exportedBytes += core.exportGeneratorOnnx(Map.of("step", Long.toString(step))).length;
                    TrainingState state = core.snapshot();
                    exportedBytes += state.tensors().size();
                }
                if (step == 100 || step % 1000 == 0 || step == steps) {
                    report(step, memory, started);
                }
            }
        }
        System.err.printf(Locale.ROOT, "trainer-memory: done (%d bytes of ONNX exported along the way)%n", exportedBytes);
    }

    private static void report(long step, MemoryMXBean memory, long started) {
        String status = ProcStatus.self();
        long rss = ProcStatus.kib(status, ProcStatus.VM_RSS).orElse(-1);
        long anon = ProcStatus.kib(status, ProcStatus.RSS_ANON).orElse(-1);
        long heapUsed = memory.getHeapMemoryUsage().getUsed();
        long jvmCommitted = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%s %d %d %d %d %d %.1f%n", SAMPLE, step, rss, anon, heapUsed, jvmCommitted, seconds);
        System.out.flush();
    }
}
