package dev.ganpipe.launcher;

import dev.ganpipe.bench.endurance.EnduranceBench;
import dev.ganpipe.bench.generator.GeneratorBench;
import dev.ganpipe.bench.ingest.IngestBench;
import dev.ganpipe.bench.quality.QualityStudy;
import dev.ganpipe.bench.quality.StepParity;
import dev.ganpipe.bench.trainer.TrainerBench;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** {@code gan bench <name>}: one benchmark, each printing figures beside its real peer and ending with ratio lines. */
final class BenchCommand {

    private BenchCommand() {
    }

    private static Map<String, ToIntFunction<List<String>>> benches() {
        Map<String, ToIntFunction<List<String>>> b = new LinkedHashMap<>();
        b.put("trainer", TrainerBench::run);
        b.put("generator", GeneratorBench::run);
        b.put("ingest", IngestBench::run);
        b.put("quality", QualityStudy::run);
        b.put("step-parity", StepParity::run);
        b.put("endurance", EnduranceBench::run);
        return b;
    }

    static int run(List<String> args) {
        Map<String, ToIntFunction<List<String>>> benches = benches();
        if (args.isEmpty() || !benches.containsKey(args.getFirst())) {
            System.err.println("Usage: ./gan bench <" + String.join("|", benches.keySet()) + "> [options]   (./gan bench <name> --help for its options)");
            return args.isEmpty() || args.getFirst().equals("--help") ? (args.isEmpty() ? 2 : 0) : 2;
        }
        return benches.get(args.getFirst()).applyAsInt(args.subList(1, args.size()));
    }
}
