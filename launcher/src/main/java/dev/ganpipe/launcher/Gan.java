package dev.ganpipe.launcher;

import dev.ganpipe.bench.Benches;
import dev.ganpipe.launcher.logging.LogSetup;
import dev.ganpipe.trainer.TrainerMain;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** {@code ./gan <command> [options]}: dispatches to one command; {@code ./gan --help} lists them. */
public final class Gan {

    private record Command(String summary, ToIntFunction<List<String>> run) {
    }

    private static Map<String, Command> commands() {
        Map<String, Command> c = new LinkedHashMap<>();
        c.put("demo", new Command("Run the whole pipeline in this process: embedded Kafka, ingest, trainer, generator service.", DemoCommand::run));
        c.put("broker", new Command("Run a real Kafka broker (KRaft), or a cluster of them (--brokers 3), with the pipeline's topics.", BrokerCommand::run));
        c.put("ingest", new Command("Publish images (folders, IDX, tar) to images.raw, or --serve the normaliser and upload API.", dev.ganpipe.ingest.IngestMain::run));
        c.put("trainer", new Command("Run the trainer: consume images.train, train the DCGAN, publish ONNX generators.", TrainerMain::run));
        c.put("generator", new Command("Run the generator service: serve synthetic images from the newest generator.", dev.ganpipe.generator.GeneratorMain::run));
        c.put("bench", new Command("Benchmarks against a real peer: 'bench trainer' (vs PyTorch eager), 'bench generator' (vs a raw ONNX Runtime loop), 'bench ingest' (vs Kafka's producer perf tool), 'bench quality' (training recipes under the evaluator, vs PyTorch), 'bench step-parity' (the training step against PyTorch's, from the same weights), 'bench endurance' (load, swaps, memory, a 60,000-image ingest).", Benches::run));
        c.put("evaluate", new Command("Measure a generator's quality (classifier FID, KID, precision/recall, class coverage) against real data, and whether its images help (CAS, augmentation uplift, memorisation).", dev.ganpipe.quality.EvaluateMain::run));
        return c;
    }

    private Gan() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    static int run(List<String> allArgs) {
        Map<String, Command> commands = commands();
        List<String> args;
        try {
            args = LogSetup.apply(allArgs, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("gan: " + e.getMessage());
            return 2;
        }
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h") || args.getFirst().equals("help")) {
            System.out.print(usage(commands));
            return args.isEmpty() ? 2 : 0;
        }
        Command command = commands.get(args.getFirst());
        if (command == null) {
            System.err.println("gan: unknown command '" + args.getFirst() + "'.\n");
            System.err.print(usage(commands));
            return 2;
        }
        return command.run().applyAsInt(args.subList(1, args.size()));
    }

    private static String usage(Map<String, Command> commands) {
        StringBuilder out = new StringBuilder("Usage: ./gan <command> [options]     (./gan <command> --help for its options)\n\nCommands:\n");
        commands.forEach((name, c) -> out.append(String.format("  %-10s %s%n", name, c.summary())));
        out.append(String.format("  %-10s %s%n", "test", "Run the whole test suite (Maven, every module)."));
        out.append(String.format("  %-10s %s%n", "build", "Build the project (done automatically on first use)."));
        out.append(String.format("%nEvery command takes %s text|json (or %s): json writes one JSON object a log line,%n"
                + "with the request id and model version of the request it was logged in.%n", LogSetup.OPTION, LogSetup.ENVIRONMENT_VARIABLE));
        return out.toString();
    }
}
