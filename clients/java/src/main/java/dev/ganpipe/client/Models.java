package dev.ganpipe.client;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The generator service's models, as {@code GET /v1/models} lists them.
 *
 * @param live the version requests are served from, empty while none is
 * @param pinned the version an operator pinned, empty when none is
 * @param models every model the service knows, newest first
 */
public record Models(OptionalLong live, OptionalLong pinned, List<ModelInfo> models) {

    public Models {
        models = List.copyOf(models);
    }

    /** The model requests are served from now, if any. */
    public Optional<ModelInfo> liveModel() {
        return models.stream().filter(ModelInfo::active).findFirst();
    }
}
