package dev.ganpipe.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import dev.ganpipe.common.time.ManualClock;
import dev.ganpipe.common.time.Sleeper;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.NormalizerSettings;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceOptions;
import dev.ganpipe.ingest.RecordingSink;
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
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {

    private static final SourceOptions SOURCES = new SourceOptions(ClassList.fashionMnist(), NormalizerSettings.DEFAULT_MAX_BYTES);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
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
        IngestSummary summary = command(sink, PublishOptions.unlimited().withProgress(ProgressMode.LINES)).run(List.of(SampleData.FASHION_MNIST), SOURCES);

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
        IngestSummary summary = command(sink, new PublishOptions(OptionalLong.of(3), OptionalDouble.empty(), false, ProgressMode.OFF))
                .run(List.of(dir.toString(), SampleData.FASHION_MNIST), SOURCES);
        assertThat(summary.read()).isEqualTo(3);
        assertThat(sink.sent()).extracting(RawImage::key).containsExactly("a.png", "sample:fashion-mnist#0", "sample:fashion-mnist#1");
    }

    @Test
    void theRateSpacesImagesEvenlyWithoutBursts() throws Exception {
        RecordingSink sink = RecordingSink.acknowledging();
        command(sink, new PublishOptions(OptionalLong.of(21), OptionalDouble.of(10), false, ProgressMode.OFF)).run(List.of(SampleData.FASHION_MNIST), SOURCES);
        assertThat(sink.sent()).hasSize(21);
        // 21 images at 10/s: the first at once, the rest 100 ms apart, 2 s in all.
        assertThat(sleeps).hasSize(20).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofMillis(100)));
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void plainLinesShowTheProgressBarLibrarysCountRateAndEtaThenTheSummary() throws Exception {
        command(RecordingSink.acknowledging(), new PublishOptions(OptionalLong.of(50), OptionalDouble.empty(), false, ProgressMode.LINES))
                .run(List.of(SampleData.FASHION_MNIST), SOURCES);
        String out = progress.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("\r");
        List<String> bars = out.lines().filter(l -> l.startsWith("ingest ")).toList();
        // The library draws at start and once more when closed; more lines only if the run outlasts its interval.
        assertThat(bars).isNotEmpty();
        assertThat(bars.getLast()).contains("100%").contains("50/50 images").contains("images/s").contains("50 acknowledged")
                .containsPattern("\\(\\d+:\\d\\d:\\d\\d / 0:00:00\\)");
        assertThat(out.lines().toList().getLast()).as("the plain summary comes last").startsWith("ingest: read 50 images");
    }

    @Test
    void theBarRedrawsInPlaceAndEndsItsLineBeforeTheSummary() throws Exception {
        command(RecordingSink.acknowledging(), new PublishOptions(OptionalLong.of(20), OptionalDouble.empty(), false, ProgressMode.BAR))
                .run(List.of(SampleData.FASHION_MNIST), SOURCES);
        String out = progress.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\r").contains("20/20 images");
        assertThat(out.substring(out.lastIndexOf('\r'))).contains("100%").contains("\ningest: read 20 images");
    }

    @Test
    void withProgressOffOnlyTheSummaryIsPrinted() throws Exception {
        command(RecordingSink.acknowledging(), new PublishOptions(OptionalLong.of(5), OptionalDouble.empty(), false, ProgressMode.OFF))
                .run(List.of(SampleData.FASHION_MNIST), SOURCES);
        assertThat(progress.toString(StandardCharsets.UTF_8)).isEqualTo("ingest: read 5 images in 0.0 s (0 images/s); 5 sent to the raw topic\n");
    }

    @Test
    void autoDrawsABarOnATerminalAndPlainLinesElsewhere() throws Exception {
        PublishOptions auto = new PublishOptions(OptionalLong.of(5), OptionalDouble.empty(), false, ProgressMode.AUTO);
        command(RecordingSink.acknowledging(), auto).withTerminalColumns(OptionalInt.of(120)).run(List.of(SampleData.FASHION_MNIST), SOURCES);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("\r");
        progress.reset();
        command(RecordingSink.acknowledging(), auto).withTerminalColumns(OptionalInt.empty()).run(List.of(SampleData.FASHION_MNIST), SOURCES);
        assertThat(progress.toString(StandardCharsets.UTF_8)).doesNotContain("\r").contains("5/5 images");
    }

    @Test
    void aDryRunValidatesEverythingAndSendsNothing() throws Exception {
        Files.write(dir.resolve("good.png"), TestImages.goodPng());
        Files.write(dir.resolve("bomb.png"), TestImages.pngHeaderOnly(20_000, 20_000));
        Files.write(dir.resolve("cut.png"), TestImages.truncatedPng());
        Files.write(dir.resolve("junk.jpg"), TestImages.randomBytes(300, 1));
        RecordingSink sink = RecordingSink.acknowledging();
        IngestSummary summary = command(sink, new PublishOptions(OptionalLong.empty(), OptionalDouble.empty(), true, ProgressMode.LINES))
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
