package dev.ganpipe.trainer;

import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Response;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.trainer.loop.SampleGrids;
import dev.ganpipe.trainer.loop.TrainingLoop;
import dev.ganpipe.trainer.quality.QualityMonitor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/** The trainer's HTTP API (DESIGN.md, port 8082). */
final class TrainerRoutes {

    private TrainerRoutes() {
    }

    static Routes routes(TrainingLoop loop, SampleGrids samples, Optional<QualityMonitor> quality, PrometheusMeterRegistry registry) {
        return new Routes()
                .standard(registry, () -> !loop.status().state().equals("failed"), "Training failed; see /v1/status and the log.")
                .openApi(TrainerRoutes.class)
                .get("/v1/status", r -> Response.json(200, loop.status()))
                .get("/v1/samples/latest.png", r -> {
                    byte[] png = samples.latest();
                    if (png == null) {
                        throw HttpError.notReady("No sample grid yet: the first is written after the first training step.");
                    }
                    return Response.png(png);
                })
                .get("/v1/quality", r -> Response.json(200, quality.orElseThrow(TrainerRoutes::qualityOff).history().records()))
                .get("/v1/quality/chart.png", r -> {
                    byte[] png = quality.orElseThrow(TrainerRoutes::qualityOff).history().chart();
                    if (png == null) {
                        throw HttpError.notReady("No quality chart yet: the first is drawn after the first measurement "
                                + "(every --quality-every-steps steps and at each export).");
                    }
                    return Response.png(png);
                });
    }

    private static HttpError qualityOff() {
        return HttpError.notFound("Quality is not measured: start the trainer with --quality-data to measure it.");
    }
}
