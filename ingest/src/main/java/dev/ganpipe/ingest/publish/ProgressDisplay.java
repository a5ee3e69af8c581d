package dev.ganpipe.ingest.publish;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of one publishing run, drawn by {@code me.tongfei:progressbar}: images read of the total (when the
 * sources know it), images/s, elapsed time and ETA, and how many the broker acknowledged. The library redraws on
 * its own timer thread, so a slow broker or a throttled run never stalls the display; {@link #close()} draws the
 * final state once more.
 */
final class ProgressDisplay implements AutoCloseable {

    /** How often the bar is redrawn in place. */
    static final Duration BAR_INTERVAL = Duration.ofSeconds(1);
    /** How often a line is printed when stderr is not a terminal: often enough to follow, rare enough for a log. */
    static final Duration LINES_INTERVAL = Duration.ofSeconds(5);
    /** Width of plain lines and of a bar whose terminal width is unknown. */
    static final int DEFAULT_COLUMNS = 100;

    private final Optional<ProgressBar> bar;
    private final Optional<OnceClosed> consumer;
    private final boolean dryRun;

    private ProgressDisplay(Optional<ProgressBar> bar, Optional<OnceClosed> consumer, boolean dryRun) {
        this.bar = bar;
        this.consumer = consumer;
        this.dryRun = dryRun;
    }

    /**
     * Starts showing progress.
     *
     * @param mode {@link ProgressMode#BAR}, {@link ProgressMode#LINES} or {@link ProgressMode#OFF} (resolve
     *        {@link ProgressMode#AUTO} first)
     * @param out stderr on the command line
     * @param columns the terminal's width, for the bar
     * @param total images to expect, when known (otherwise the bar shows no percentage or ETA)
     * @param dryRun whether nothing is sent (then no acknowledgements are shown)
     * @return the display; for {@link ProgressMode#OFF} one that shows nothing
     */
    static ProgressDisplay start(ProgressMode mode, PrintStream out, int columns, OptionalLong total, boolean dryRun) {
        ProgressBarConsumer target;
        Duration interval;
        ProgressBarStyle style;
        switch (mode) {
            case OFF -> {
                return new ProgressDisplay(Optional.empty(), Optional.empty(), dryRun);
            }
            case BAR -> {
                target = new ConsoleProgressBarConsumer(out, Math.max(40, columns - 1));
                interval = BAR_INTERVAL;
                style = ProgressBarStyle.UNICODE_BLOCK;
            }
            case LINES -> {
                target = new DelegatingProgressBarConsumer(out::println, DEFAULT_COLUMNS);
                interval = LINES_INTERVAL;
                style = ProgressBarStyle.ASCII;
            }
            case AUTO -> throw new IllegalArgumentException("Resolve --progress auto to bar or lines before starting the display.");
            default -> throw new IllegalArgumentException("Unknown progress mode " + mode + ".");
        }
        OnceClosed consumer = new OnceClosed(target);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(dryRun ? "ingest (dry run)" : "ingest")
                .setInitialMax(total.orElse(-1))
                .setUnit(" images", 1)
                .showSpeed(new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setUpdateIntervalMillis(Math.toIntExact(interval.toMillis()))
                .setStyle(style)
                .setConsumer(consumer)
                .build();
        return new ProgressDisplay(Optional.of(bar), Optional.of(consumer), dryRun);
    }

    /** Records progress; the library draws it at its next tick. */
    void update(long read, long acknowledged) {
        bar.ifPresent(b -> {
            b.stepTo(read);
            if (!dryRun) {
                b.setExtraMessage(String.format(Locale.ROOT, ", %,d acknowledged", acknowledged));
            }
        });
    }

    /** Draws the final state, stops the redraws and ends the bar's line. */
    @Override
    public void close() {
        bar.ifPresent(ProgressBar::close);
        // The library skips closing its consumer when the bar is closed before its first tick ran; the bar's line
        // must still end, or the summary would be printed onto it. Its single timer thread is idle by now.
        consumer.ifPresent(OnceClosed::close);
    }

    /** Passes each new rendering on and closes the target once, whoever asks first. */
    private static final class OnceClosed implements ProgressBarConsumer {

        private final ProgressBarConsumer target;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile String last = "";

        OnceClosed(ProgressBarConsumer target) {
            this.target = target;
        }

        @Override
        public int getMaxRenderedLength() {
            return target.getMaxRenderedLength();
        }

        @Override
        public void accept(String rendered) {
            // The library draws once more on close even when nothing changed since its last tick; a log needs it once.
            if (!rendered.equals(last)) {
                last = rendered;
                target.accept(rendered);
            }
        }

        @Override
        public void clear() {
            target.clear();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                target.close();
            }
        }
    }
}
