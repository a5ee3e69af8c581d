package dev.ganpipe.bench.generator;

import dev.ganpipe.common.process.ProcessRun;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives an HTTP endpoint with a fixed number of concurrent clients for a while: in Java ({@link java.net.http}, one
 * virtual thread per client, each sending its next request when the last is answered) or with {@code wrk}, a C load
 * generator that takes less of the CPU the server needs.
 */
sealed interface LoadGenerator permits LoadGenerator.Java, LoadGenerator.Wrk {

    /** A short name for the table. */
    String name();

    /**
     * Sends requests from {@code clients} concurrent clients for {@code duration}.
     *
     * @param imagesPerRequest images each successful request yields
     */
    GeneratorMeasurement run(String label, URI uri, int clients, Duration duration, int imagesPerRequest) throws IOException, InterruptedException;

    /** {@code wrk} when asked for, or for {@code auto} when it is on the PATH; else Java. */
    static LoadGenerator choose(String wanted) {
        Optional<Path> wrk = onPath("wrk");
        return switch (wanted.trim().toLowerCase(Locale.ROOT)) {
            case "java" -> new Java();
            case "wrk" -> new Wrk(wrk.orElseThrow(() -> new IllegalArgumentException(
                    "--load wrk needs wrk on the PATH; install it (e.g. 'apt-get install wrk') or use --load java.")));
            case "auto" -> wrk.<LoadGenerator>map(Wrk::new).orElseGet(Java::new);
            default -> throw new IllegalArgumentException("--load must be auto, java or wrk, but was '" + wanted + "'.");
        };
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Clients on virtual threads sharing one {@link HttpClient} (HTTP/1.1, kept-alive connections). */
    final class Java implements LoadGenerator {

        @Override
        public String name() {
            return "java.net.http";
        }

        @Override
        public GeneratorMeasurement run(String label, URI uri, int clients, Duration duration, int imagesPerRequest) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            AtomicLong failures = new AtomicLong();
            List<long[]> perClient = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()) {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
                for (int c = 0; c < clients; c++) {
                    LatencyLog log = new LatencyLog();
                    threads.add(Thread.ofVirtual().name("bench-client-" + c).start(() -> {
                        while (System.nanoTime() < end) {
                            long start = System.nanoTime();
                            try {
                                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                                if (response.statusCode() == 200) {
                                    log.add(System.nanoTime() - start);
                                } else {
                                    failures.incrementAndGet();
                                }
                            } catch (IOException e) {
                                failures.incrementAndGet();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                        synchronized (perClient) {
                            perClient.add(log.values());
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
            }
            long[] all = perClient.stream().flatMapToLong(Arrays::stream).toArray();
            return GeneratorMeasurement.of(label, all, imagesPerRequest, duration.toNanos() / 1e9, failures.get());
        }
    }

    /** wrk with one thread per core (at most the client count) and its latency distribution. */
    record Wrk(Path binary) implements LoadGenerator {

        private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
        private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
        private static final Pattern ERRORS = Pattern.compile("Socket errors:.*?(\\d+).*?(\\d+).*?(\\d+).*?(\\d+)");

        @Override
        public String name() {
            return "wrk";
        }

        @Override
        public GeneratorMeasurement run(String label, URI uri, int clients, Duration duration, int imagesPerRequest) throws IOException, InterruptedException {
            int threads = Math.max(1, Math.min(clients, Runtime.getRuntime().availableProcessors()));
            ProcessRun wrk = ProcessRun.of(new ProcessBuilder(binary.toString(), "-t" + threads, "-c" + clients,
                    "-d" + Math.max(1, duration.toSeconds()) + "s", "--latency", "--timeout", "60s", uri.toString()),
                    duration.plusSeconds(60));
            String output = wrk.output();
            if (!wrk.succeeded()) {
                throw new IOException("wrk failed; its output was:\n" + output);
            }
            Matcher rate = RATE.matcher(output);
            if (!rate.find()) {
                throw new IOException("wrk printed no Requests/sec line; its output was:\n" + output);
            }
            double requests = Double.parseDouble(rate.group(1));
            long failures = 0;
            Matcher non2xx = NON_2XX.matcher(output);
            if (non2xx.find()) {
                failures += Long.parseLong(non2xx.group(1));
            }
            Matcher errors = ERRORS.matcher(output);
            if (errors.find()) {
                for (int g = 1; g <= 4; g++) {
                    failures += Long.parseLong(errors.group(g));
                }
            }
            // wrk counts non-2xx responses in Requests/sec; only successful ones yield images.
            double ok = Math.max(0, requests - failures / (double) Math.max(1, duration.toSeconds()));
            return new GeneratorMeasurement(label, ok * imagesPerRequest, requests, percentileMillis(output, "50"), percentileMillis(output, "99"), failures);
        }

        private static double percentileMillis(String output, String percent) throws IOException {
            Matcher m = Pattern.compile("^\\s+" + percent + "%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(output);
            if (!m.find()) {
                throw new IOException("wrk printed no " + percent + "% latency; its output was:\n" + output);
            }
            double value = Double.parseDouble(m.group(1));
            return switch (m.group(2)) {
                case "us" -> value / 1000;
                case "ms" -> value;
                default -> value * 1000;
            };
        }
    }

    /** Latencies of one client (only its thread adds). */
    final class LatencyLog {
        private long[] values = new long[1024];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        long[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
