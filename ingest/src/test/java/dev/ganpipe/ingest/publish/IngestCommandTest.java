package dev.ganpipe.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.ingest.RecordingSink;
import dev.ganpipe.ingest.TestClock;
import dev.ganpipe.ingest.TestImages;
import dev.ganpipe.ingest.normalize.ClassList;
import dev.ganpipe.ingest.normalize.ImageNormalizer;
import dev.ganpipe.ingest.normalize.NormalizerSettings;
import dev.ganpipe.ingest.source.SampleData;
import dev.ganpipe.ingest.source.SourceOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {

    private static final SourceOptions SOURCES = new SourceOptions(ClassList.fashionMnist(), NormalizerSettings.DEFAULT_MAX_BYTES);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final Sleeper sleeper = d -> {
        sleeps.add(d);
        clock.advance(d);
    };
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final ImageNormalizer normalizer = new ImageNormalizer(NormalizerSettings.defaults());

    @Test
    void theSampleIsSentWithSourceIdsLabelsAndContentTypes() throws Exception {
        RecordingSink sink = RecordingSink.acknowledging();
        IngestSummary summary = command(sink, PublishOptions.unlimited()).run(List.of(SampleData.FASHION_MNIST), SOURCES);

        assertThat(summary.read()).isEqualTo(500);
        assertThat(summary.sent()).isEqualTo(500);
        assertThat(summary.rejected()).isEmpty();
        assertThat(sink.flushes()).as("waits for every acknowledgement").isEqualTo(1);
        RawImage first = sink.sent().getFirst();
        assertThat(first.key()).isEqualTo("sample:fashion-mnist#0");
        assertThat(first.contentType()).isEqualTo("image/png");
        assertThat(first.label()).hasValueSatisfying(l -> assertThat(Integer.parseInt(l)).isBetween(0, 9));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("read 500 images").contains("500 sent");
    }

    @Test
    void theLimitStopsAcrossSources() throws Exception {
        Files.write(dir.resolve("a.png"), TestImages.goodPng());
        RecordingSink sink = RecordingSink.acknowledging();
        IngestSummary summary = command(sink, new PublishOptions(OptionalLong.of(3), OptionalDouble.empty(), false))
                .run(List.of(dir.toString(), SampleData.FASHION_MNIST), SOURCES);
        assertThat(summary.read()).isEqualTo(3);
        assertThat(sink.sent()).extracting(RawImage::key).containsExactly("a.png", "sample:fashion-mnist#0", "sample:fashion-mnist#1");
    }

    @Test
    void theRateSpacesImagesEvenlyWithoutBursts() throws Exception {
        RecordingSink sink = RecordingSink.acknowledging();
        command(sink, new PublishOptions(OptionalLong.of(21), OptionalDouble.of(10), false)).run(List.of(SampleData.FASHION_MNIST), SOURCES);
        assertThat(sink.sent()).hasSize(21);
        // 21 images at 10/s: the first at once, the rest 100 ms apart, 2 s in all.
        assertThat(sleeps).hasSize(20).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofMillis(100)));
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void progressIsPrintedAtMostOncePerSecondWithRateAndEta() throws Exception {
        command(RecordingSink.acknowledging(), new PublishOptions(OptionalLong.of(50), OptionalDouble.of(10), false))
                .run(List.of(SampleData.FASHION_MNIST), SOURCES);
        List<String> lines = progress.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("/50 read")).toList();
        // 50 images at 10/s take 4.9 s: a line at each whole second.
        assertThat(lines).hasSize(4);
        assertThat(lines.getFirst()).contains("11/50 read").contains("11 images/s").contains("ETA 0:04");
    }

    @Test
    void aDryRunValidatesEverythingAndSendsNothing() throws Exception {
        Files.write(dir.resolve("good.png"), TestImages.goodPng());
        Files.write(dir.resolve("bomb.png"), TestImages.pngHeaderOnly(20_000, 20_000));
        Files.write(dir.resolve("cut.png"), TestImages.truncatedPng());
        Files.write(dir.resolve("junk.jpg"), TestImages.randomBytes(300, 1));
        RecordingSink sink = RecordingSink.acknowledging();
        IngestSummary summary = command(sink, new PublishOptions(OptionalLong.empty(), OptionalDouble.empty(), true))
                .run(List.of(dir.toString()), SOURCES);

        assertThat(sink.sent()).isEmpty();
        assertThat(summary.dryRun()).isTrue();
        assertThat(summary.read()).isEqualTo(4);
        assertThat(summary.valid()).isEqualTo(1);
        assertThat(summary.rejected()).isEqualTo(Map.of("too_many_pixels", 1L, "truncated", 1L, "undecodable", 1L));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("1 valid, 3 would be rejected").contains("rejected truncated");
    }

    @Test
    void filesOverTheByteLimitAreCountedAndNotSent() throws Exception {
        Files.write(dir.resolve("big.png"), new byte[2000]);
        Files.write(dir.resolve("ok.png"), TestImages.goodPng());
        RecordingSink sink = RecordingSink.acknowledging();
        ImageNormalizer small = new ImageNormalizer(new NormalizerSettings(NormalizerSettings.defaults().shape(), ClassList.fashionMnist(),
                1000, 40_000_000, 8, NormalizerSettings.defaults().background()));
        IngestSummary summary = IngestCommand.create(sink, small, PublishOptions.unlimited(), clock, sleeper, new PrintStream(progress))
                .run(List.of(dir.toString()), new SourceOptions(ClassList.fashionMnist(), 1000));
        assertThat(sink.sent()).extracting(RawImage::key).containsExactly("ok.png");
        assertThat(summary.rejected()).isEqualTo(Map.of("too_large", 1L));
    }

    @Test
    void aFailedSendStopsTheRunLoudly() {
        RecordingSink sink = RecordingSink.failingFrom(5);
        assertThatThrownBy(() -> command(sink, PublishOptions.unlimited()).run(List.of(SampleData.FASHION_MNIST), SOURCES))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("Sending sample:fashion-mnist#5 to the raw topic failed (broker unavailable)")
                .hasMessageContaining("5 images were acknowledged");
        assertThat(sink.sent()).hasSize(5);
    }

    @Test
    void aMissingPathFailsBeforeAnythingIsSent() {
        RecordingSink sink = RecordingSink.acknowledging();
        assertThatThrownBy(() -> command(sink, PublishOptions.unlimited())
                .run(List.of(SampleData.FASHION_MNIST, dir.resolve("nope").toString()), SOURCES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("There is no file or folder");
        assertThat(sink.sent()).isEmpty();
    }

    @Test
    void labelsFromFolderNamesTravelAsClassIndices() throws Exception {
        Files.createDirectories(dir.resolve("Coat"));
        Files.write(dir.resolve("Coat/x.png"), TestImages.goodPng());
        RecordingSink sink = RecordingSink.acknowledging();
        command(sink, PublishOptions.unlimited()).run(List.of(dir.toString()), SOURCES);
        assertThat(sink.sent().getFirst().label()).isEqualTo(Optional.of("4"));
    }

    private IngestCommand command(RecordingSink sink, PublishOptions options) {
        return IngestCommand.create(sink, normalizer, options, clock, sleeper, new PrintStream(progress, true, StandardCharsets.UTF_8));
    }
}
