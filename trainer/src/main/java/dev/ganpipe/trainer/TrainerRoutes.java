package dev.ganpipe.trainer;

import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.Response;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.trainer.quality.QualityMonitor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The trainer's HTTP API (DESIGN.md, port 8082). */
final class TrainerRoutes {

    private TrainerRoutes() {
    }

    /**
     * @param stage the trainer's state: before the first record decides the networks every training route answers 503
     *     saying the trainer waits for data, and {@code /v1/status} says {@code waiting_for_data}
     * @param qualityOn whether {@code --quality-data} turned quality on
     */
    static Routes routes(TrainingStage stage, boolean qualityOn, PrometheusMeterRegistry registry) {
        return new Routes()
                .standard(registry, stage::ready, "Training failed; see /v1/status and the log.")
                .openApi(TrainerRoutes.class)
                .get("/v1/status", r -> Response.json(200, stage.status()))
                .get("/v1/samples/latest.png", r -> {
                    byte[] png = stage.trainingOrNotReady().samples().latest();
                    if (png == null) {
                        throw HttpError.notReady("No sample grid yet: the first is written after the first training step.");
                    }
                    return Response.png(png);
                })
                .get("/v1/quality", r -> Response.json(200, quality(stage, qualityOn).history().records()))
                .get("/v1/quality/chart.png", r -> {
                    byte[] png = quality(stage, qualityOn).history().chart();
                    if (png == null) {
                        throw HttpError.notReady("No quality chart yet: the first is drawn after the first measurement "
                                + "(every --quality-every-steps steps and at each export).");
                    }
                    return Response.png(png);
                });
    }

    private static QualityMonitor quality(TrainingStage stage, boolean qualityOn) {
        if (!qualityOn) {
            throw qualityOff();
        }
        return stage.trainingOrNotReady().quality().orElseThrow(TrainerRoutes::qualityOff);
    }

    private static HttpError qualityOff() {
        return HttpError.notFound("Quality is not measured: start the trainer with --quality-data to measure it.");
    }
}
