package dev.ganpipe.bench.ingest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Runs Kafka's own {@code kafka-producer-perf-test} ({@link ProducerPerformance}) in this JVM and reads the
 * throughput from its final summary line. The tool prints to {@code System.out}, so for the length of a run
 * {@code System.out} is captured. It exits the JVM only on arguments it cannot parse, and the arguments are built
 * here from typed values.
 */
final class ProducerPerfRun {

    /** The tool's summary: {@code 1000 records sent, 9803.9 records/sec (3.74 MB/sec), ...}. */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec");

    private ProducerPerfRun() {
    }

    /**
     * The tool's result.
     *
     * @param records records it sent
     * @param recordsPerSecond its own figure (producer created to producer closed, every record acknowledged)
     * @param summary its summary line, as printed
     */
    record Result(long records, double recordsPerSecond, String summary) {
    }

    /**
     * Sends {@code records} records of {@code recordSize} bytes to {@code topic} as fast as the producer goes.
     *
     * @param producer producer properties ({@code bootstrap.servers}, acks, idempotence, batching...), passed as
     *        {@code --producer-props}
     * @throws IllegalStateException when the tool fails or prints no summary
     */
    static synchronized Result run(String topic, long records, int recordSize, Properties producer) {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props"));
        for (Map.Entry<Object, Object> e : producer.entrySet()) {
            args.add(e.getKey() + "=" + e.getValue());
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(args.toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException("Kafka's ProducerPerformance failed: " + e.getMessage(), e);
        } finally {
            System.setOut(original);
        }
        return parse(captured.toString(StandardCharsets.UTF_8));
    }

    /** The last summary line of the tool's output. */
    static Result parse(String output) {
        Result result = null;
        for (String line : output.split("\\R")) {
            Matcher m = SUMMARY.matcher(line);
            // Window lines every 5 s look alike but say "records sent, ... records/sec" too; the total comes last.
            if (m.find()) {
                result = new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), line.trim());
            }
        }
        if (result == null) {
            throw new IllegalStateException("Kafka's ProducerPerformance printed no summary line; its output was:\n" + output);
        }
        return result;
    }
}
