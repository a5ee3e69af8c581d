package dev.ganpipe.trainer;

import dev.ganpipe.common.ServiceMain;
import dev.ganpipe.common.metrics.MeterRegistries;
import java.util.Arrays;
import java.util.List;

/** {@code gan trainer}: runs the trainer until Ctrl-C. */
public final class TrainerMain {

    private TrainerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    /** Runs with the given arguments; returns the exit code. */
    public static int run(List<String> args) {
        return ServiceMain.run(TrainerConfig.spec(), args,
                values -> TrainerService.start(TrainerConfig.from(values), MeterRegistries.prometheus("trainer")));
    }
}
