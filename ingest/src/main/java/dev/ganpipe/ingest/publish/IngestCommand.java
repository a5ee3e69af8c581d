package dev.ganpipe.ingest.publish;

import dev.ganpipe.common.time.Sleeper;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.ImageRejectReason;
import dev.ganpipe.images.normalize.InputImageFormat;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.images.source.ImageSource;
import dev.ganpipe.images.source.ImageSources;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.images.source.SourceOptions;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.stream.NormalizerTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * {@code gan ingest PATH...}: reads every source and sends each image to {@code images.raw} (key = source id,
 * {@code gan.label} when known), or in a dry run judges each with the normaliser and produces nothing. Returns
 * only once every send is acknowledged; the first failed send stops the run with an exception.
 */
public final class IngestCommand {

    private final Optional<RawSink> sink;
    private final ImageNormalizer normalizer;
    private final PublishOptions options;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintStream progress;
    private final OptionalInt terminalColumns;

    private IngestCommand(Optional<RawSink> sink, ImageNormalizer normalizer, PublishOptions options, Clock clock, Sleeper sleeper,
            PrintStream progress, OptionalInt terminalColumns) {
        this.sink = sink;
        this.normalizer = normalizer;
        this.options = options;
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
        this.terminalColumns = terminalColumns;
    }

    /**
     * A command that sends to {@code sink} (or only validates, when {@code options.dryRun()}).
     *
     * @param normalizer judges images in a dry run; when publishing, only its byte limit applies
     * @param progress where the progress bar (or lines) and the summary go (stderr on the command line); with
     *        {@link ProgressMode#AUTO} the process's stderr decides between a bar and plain lines
     */
    public static IngestCommand create(RawSink sink, ImageNormalizer normalizer, PublishOptions options, Clock clock, Sleeper sleeper,
            PrintStream progress) {
        return new IngestCommand(options.dryRun() ? Optional.empty() : Optional.of(sink), normalizer, options, clock, sleeper, progress,
                probeTerminal(options.progress()));
    }

    /** A dry run: reads and validates, produces nothing. */
    public static IngestCommand dryRun(ImageNormalizer normalizer, PublishOptions options, Clock clock, Sleeper sleeper, PrintStream progress) {
        return new IngestCommand(Optional.empty(), normalizer, options, clock, sleeper, progress, probeTerminal(options.progress()));
    }

    /** This command as if stderr were a terminal this wide (or, when empty, no terminal): how tests pin {@code auto}. */
    IngestCommand withTerminalColumns(OptionalInt columns) {
        return new IngestCommand(sink, normalizer, options, clock, sleeper, progress, columns);
    }

    /** Looks at stderr only when the mode depends on it or needs its width. */
    private static OptionalInt probeTerminal(ProgressMode mode) {
        return mode == ProgressMode.AUTO || mode == ProgressMode.BAR ? TerminalProbe.stderrColumns() : OptionalInt.empty();
    }

    /**
     * The command-line entry: opens the locations (paths or {@code sample:fashion-mnist}) and publishes them with
     * the config's Kafka connection and options, printing progress and the summary to stderr.
     *
     * @throws IOException when a source cannot be read
     * @throws PublishException when the broker did not acknowledge a record
     */
    public static IngestSummary run(IngestConfig config, List<String> locations) throws IOException, InterruptedException {
        return run(config, locations, System.err);
    }

    /** As {@link #run(IngestConfig, List)}, printing progress and the summary to {@code progress}. */
    public static IngestSummary run(IngestConfig config, List<String> locations, PrintStream progress) throws IOException, InterruptedException {
        return run(config, locations, progress, UnaryOperator.identity());
    }

    /**
     * As above, publishing what {@code view} makes of each opened source: e.g. the demo's source without the images it
     * holds out for quality measurement.
     */
    public static IngestSummary run(IngestConfig config, List<String> locations, PrintStream progress, UnaryOperator<ImageSource> view)
            throws IOException, InterruptedException {
        Clock clock = Clock.systemUTC();
        ImageNormalizer normalizer = new ImageNormalizer(config.normalizer());
        if (config.publish().dryRun()) {
            return dryRun(normalizer, config.publish(), clock, Sleeper.system(), progress).run(locations, config.sourceOptions(), view);
        }
        try (KafkaRawSink sink = KafkaRawSink.create(config.kafka(), config.kafka().clientId(config.applicationId() + "-cli"), config.topics().raw(),
                NormalizerTopology.EVENT_SOURCE, clock)) {
            return create(sink, normalizer, config.publish(), clock, Sleeper.system(), progress).run(locations, config.sourceOptions(), view);
        }
    }

    /** Opens every location first (a wrong path fails before anything is sent), then publishes them in order. */
    public IngestSummary run(List<String> locations, SourceOptions sourceOptions) throws IOException, InterruptedException {
        return run(locations, sourceOptions, UnaryOperator.identity());
    }

    /** As above, publishing what {@code view} makes of each opened source. */
    public IngestSummary run(List<String> locations, SourceOptions sourceOptions, UnaryOperator<ImageSource> view)
            throws IOException, InterruptedException {
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("Give at least one path to ingest (an IDX file, a folder, a tar archive, an image) or "
                    + SampleData.FASHION_MNIST + ".");
        }
        List<ImageSource> sources = new ArrayList<>();
        IngestSummary summary;
        try {
            for (String location : locations) {
                ImageSource source = view.apply(ImageSources.open(location, sourceOptions));
                sources.add(source);
                source.notes().forEach(note -> progress.println("ingest: " + note));
            }
            summary = publish(sources);
        } catch (Throwable failure) {
            try {
                closeAll(sources);
            } catch (IOException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
        closeAll(sources);
        return summary;
    }

    /** Publishes the sources in order (the caller closes them). */
    public IngestSummary publish(List<ImageSource> sources) throws IOException, InterruptedException {
        long limit = options.limit().orElse(Long.MAX_VALUE);
        OptionalLong total = total(sources, limit);
        Instant start = clock.instant();
        Throttle throttle = new Throttle(options.rate(), clock, sleeper);
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Failure> failure = new AtomicReference<>();
        TreeMap<String, Long> rejected = new TreeMap<>();
        long read = 0;
        long valid = 0;
        try (ProgressDisplay display = ProgressDisplay.start(progressMode(), progress, terminalColumns.orElse(ProgressDisplay.DEFAULT_COLUMNS),
                total, sink.isEmpty())) {
            for (ImageSource source : sources) {
                while (read < limit) {
                    Optional<SourceImage> next = source.next();
                    if (next.isEmpty()) {
                        break;
                    }
                    SourceImage image = next.get();
                    read++;
                    throttle.acquire();
                    if (sink.isEmpty()) {
                        Outcome outcome = normalizer.normalize(image.encodedBytes(), image.label());
                        if (outcome instanceof Outcome.Rejected r) {
                            rejected.merge(r.reason().code(), 1L, Long::sum);
                        } else {
                            valid++;
                        }
                    } else if (image.encodedBytes().length > normalizer.settings().maxBytes()) {
                        // The stream would only dead-letter it; keep oversized payloads off the broker altogether.
                        rejected.merge(ImageRejectReason.TOO_LARGE.code(), 1L, Long::sum);
                    } else {
                        send(sink.get(), image, acknowledged, failure);
                    }
                    display.update(read, acknowledged.get());
                }
            }
            if (sink.isPresent()) {
                sink.get().flush();
                display.update(read, acknowledged.get());
                throwIfFailed(failure.get(), acknowledged.get());
            }
        }
        IngestSummary summary = new IngestSummary(read, acknowledged.get(), valid, rejected, sink.isEmpty(),
                Duration.between(start, clock.instant()));
        progress.print(summary.describe());
        return summary;
    }

    /** The configured mode, with {@code auto} decided by whether stderr is a terminal. */
    private ProgressMode progressMode() {
        return options.progress().resolve(terminalColumns);
    }

    private record Failure(String sourceId, Throwable cause) {
    }

    private static void send(RawSink sink, SourceImage image, AtomicLong acknowledged, AtomicReference<Failure> failure) {
        throwIfFailed(failure.get(), acknowledged.get());
        String contentType = InputImageFormat.sniff(image.encodedBytes()).map(InputImageFormat::mediaType).orElse("application/octet-stream");
        sink.send(new RawImage(image.sourceId(), image.encodedBytes(), image.label(), contentType)).whenComplete((ok, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failure.compareAndSet(null, new Failure(image.sourceId(), error));
            }
        });
    }

    private static void throwIfFailed(Failure failure, long acknowledged) {
        if (failure != null) {
            throw new PublishException("Sending " + failure.sourceId() + " to the raw topic failed (" + failure.cause().getMessage()
                    + "); " + acknowledged + " images were acknowledged before it. Check that the broker is reachable and accepts "
                    + "records this large, then run again (re-sent images get the same image id downstream).", failure.cause());
        }
    }

    private static OptionalLong total(List<ImageSource> sources, long limit) {
        long sum = 0;
        for (ImageSource source : sources) {
            OptionalLong size = source.size();
            if (size.isEmpty()) {
                return limit == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(limit);
            }
            sum += size.getAsLong();
        }
        return OptionalLong.of(Math.min(sum, limit));
    }

    private static void closeAll(List<ImageSource> sources) throws IOException {
        IOException first = null;
        for (ImageSource source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
