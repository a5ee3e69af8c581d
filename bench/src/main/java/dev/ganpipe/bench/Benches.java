package dev.ganpipe.bench;

import dev.ganpipe.bench.chaos.ChaosBench;
import dev.ganpipe.bench.endurance.EnduranceBench;
import dev.ganpipe.bench.generator.GeneratorBench;
import dev.ganpipe.bench.ingest.IngestBench;
import dev.ganpipe.bench.quality.QualityStudy;
import dev.ganpipe.bench.quality.StepParity;
import dev.ganpipe.bench.trainer.TrainerBench;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gan bench <name> [options]}: every bench by the name it is run by, and the one entry point that picks one and
 * runs it with this process's environment and standard streams.
 */
public final class Benches {

    private Benches() {
    }

    /** Every bench by name, in the order the usage line lists them. */
    public static Map<String, Bench> byName() {
        Map<String, Bench> b = new LinkedHashMap<>();
        b.put("trainer", TrainerBench::run);
        b.put("generator", GeneratorBench::run);
        b.put("ingest", IngestBench::run);
        b.put("quality", QualityStudy::run);
        b.put("step-parity", StepParity::run);
        b.put("endurance", EnduranceBench::run);
        b.put("chaos", ChaosBench::run);
        return b;
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args)));
    }

    /** Runs the bench {@code args} names first with the rest of {@code args}: what {@code ./gan bench} calls. */
    public static int run(List<String> args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream log) {
        Map<String, Bench> benches = byName();
        if (args.isEmpty() || !benches.containsKey(args.getFirst())) {
            log.println("Usage: ./gan bench <" + String.join("|", benches.keySet()) + "> [options]   (./gan bench <name> --help for its options)");
            return args.isEmpty() || args.getFirst().equals("--help") ? (args.isEmpty() ? 2 : 0) : 2;
        }
        return benches.get(args.getFirst()).run(args.subList(1, args.size()), env, out, log);
    }
}
