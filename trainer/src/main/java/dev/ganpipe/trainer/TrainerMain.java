package dev.ganpipe.trainer;

import dev.ganpipe.common.ServiceMain;
import dev.ganpipe.common.config.ConfigException;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.trainer.checkpoint.CheckpointException;
import java.util.Arrays;
import java.util.List;

/** {@code gan trainer}: runs the trainer until Ctrl-C. */
public final class TrainerMain {

    private TrainerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    /**
     * Runs with the given arguments; returns the exit code: 2 (with the reason on stderr) for a configuration
     * error, including a checkpoint directory this configuration cannot resume from or write to.
     */
    public static int run(List<String> args) {
        return ServiceMain.run(TrainerConfig.spec(), args, values -> {
            try {
                return TrainerService.start(TrainerConfig.from(values), MeterRegistries.prometheus("trainer"));
            } catch (CheckpointException e) {
                throw new ConfigException(e.getMessage(), e); // the operator must fix the settings or the directory
            }
        });
    }
}
