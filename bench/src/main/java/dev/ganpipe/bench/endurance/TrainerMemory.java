package dev.ganpipe.bench.endurance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Part 2: the trainer's resident memory over a long run. {@link TrainerMemoryRun} trains in a child JVM whose heap
 * is fixed ({@code -Xms} = {@code -Xmx}) and pre-touched, so the heap's share of the resident set is constant from
 * the start and any growth between the 1,000th step and the last is native memory: libtorch tensors that were never
 * freed, or allocator growth.
 */
final class TrainerMemory {

    /**
     * One measurement of the child.
     *
     * @param rssKib resident set ({@code VmRSS})
     * @param anonKib resident anonymous memory ({@code RssAnon})
     * @param heapUsed bytes of Java heap in use
     * @param jvmCommitted bytes the JVM has committed for heap and non-heap
     * @param seconds since training began
     */
    record Sample(long step, long rssKib, long anonKib, long heapUsed, long jvmCommitted, double seconds) {

        /** Anonymous resident memory beyond what the JVM committed: libtorch, ONNX export and other native allocations. */
        long nativeKib() {
            return anonKib - jvmCommitted / 1024;
        }

        /** Parses a {@code sample} line of the child; empty for any other line. */
        static Optional<Sample> parse(String line) {
            String[] p = line.trim().split(" ");
            if (p.length != 7 || !p[0].equals(TrainerMemoryRun.SAMPLE)) {
                return Optional.empty();
            }
            return Optional.of(new Sample(Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4]),
                    Long.parseLong(p[5]), Double.parseDouble(p[6])));
        }
    }

    /**
     * What the run measured: {@code at1k} is the sample at step 1,000, {@code middle} the one at the thousand nearest
     * half-way, {@code last} the one after the last step. Growth from 1,000 to the end includes the allocator's warm-up;
     * growth over the second half is what a per-step leak would add.
     */
    record Result(List<Sample> samples, Sample at1k, Sample middle, Sample last, String heap, String mallocEnv) {

        double ratio() {
            return (double) last.rssKib() / at1k.rssKib();
        }

        double secondHalfRatio() {
            return (double) last.rssKib() / middle.rssKib();
        }

        /** Native growth per 1,000 steps over the second half, MiB. */
        double secondHalfNativeMibPer1k() {
            return (last.nativeKib() - middle.nativeKib()) / 1024.0 / ((last.step() - middle.step()) / 1000.0);
        }

        double stepsPerSecond() {
            return (last.step() - at1k.step()) / (last.seconds() - at1k.seconds());
        }

        /** RSS at every thousandth step, MiB, e.g. "781 842 879". */
        String series() {
            StringBuilder out = new StringBuilder();
            for (Sample s : samples) {
                if (s.step() >= 1000 && (s.step() % 1000 == 0 || s == last)) {
                    out.append(out.isEmpty() ? "" : " ").append(Math.round(s.rssKib() / 1024.0));
                }
            }
            return out.toString();
        }
    }

    /** The sample at the thousandth step nearest half of the last step (at least step 1,000). */
    static Sample middle(List<Sample> samples, Sample last) {
        long target = Math.max(1000, Math.round(last.step() / 2000.0) * 1000);
        return samples.stream().filter(s -> s.step() == target).findFirst().orElseThrow(() -> new IllegalStateException(
                "The trainer child reported no sample at step " + target + "; it reports every 1,000 steps, so pass --trainer-steps as a "
                        + "multiple of 1000."));
    }

    private TrainerMemory() {
    }

    static Result run(long steps, int generatorWidth, int discriminatorWidth, int batch, int threads, String heap, PrintStream log)
            throws IOException, InterruptedException {
        if (!ProcStatus.available()) {
            throw new IllegalStateException("Resident memory is read from /proc/<pid>/status, which this machine lacks; run part 'trainer' "
                    + "on Linux, or leave it out with --parts generator,ingest.");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-D")) {
                command.add(arg); // e.g. -Dai.djl.offline=true
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainerMemoryRun.class.getName(), Long.toString(steps),
                Integer.toString(generatorWidth), Integer.toString(discriminatorWidth), Integer.toString(batch), Integer.toString(threads)));
        log.printf(Locale.ROOT, "trainer-memory: %d steps of dcgan28 (generator width %d, discriminator width %d, batch %d, threads %s) in a "
                + "child JVM with a fixed %s heap ...%n", steps, generatorWidth, discriminatorWidth, batch, threads == 0 ? "engine default" : threads, heap);
        // glibc's allocator settings change how much freed native memory stays resident; report any that are set.
        String mallocEnv = String.join(" ", System.getenv().entrySet().stream().filter(e -> e.getKey().startsWith("MALLOC_"))
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Sample> samples = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Optional<Sample> sample = Sample.parse(line);
                if (sample.isPresent()) {
                    Sample s = sample.get();
                    samples.add(s);
                    log.printf(Locale.ROOT, "trainer-memory: step %6d  %7.1f s  RSS %6.1f MiB  anon %6.1f MiB  native (anon - JVM committed) %6.1f MiB%n",
                            s.step(), s.seconds(), s.rssKib() / 1024.0, s.anonKib() / 1024.0, s.nativeKib() / 1024.0);
                } else {
                    log.println("trainer-memory (child): " + line);
                }
            }
        } finally {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        if (child.exitValue() != 0) {
            throw new IllegalStateException("The trainer child JVM exited with status " + child.exitValue()
                    + "; its messages above say why.");
        }
        Sample at1k = samples.stream().filter(s -> s.step() == 1000).findFirst().orElseThrow(() -> new IllegalStateException(
                "The trainer child reported no sample at step 1,000; pass --trainer-steps 2000 or more."));
        Sample last = samples.getLast();
        return new Result(samples, at1k, middle(samples, last), last, heap, mallocEnv);
    }
}
