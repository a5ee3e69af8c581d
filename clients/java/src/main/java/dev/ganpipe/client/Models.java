package dev.ganpipe.client;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The generator service's models, as {@code GET /v1/models} lists them. A service may serve several model names side
 * by side; {@code live} and {@code pinned} describe its default model, the one requests that name none get.
 *
 * @param live the default model's live version, empty while none is (or when several models are served without a
 *     default)
 * @param pinned the default model's pinned version, empty when none is
 * @param defaultModel the default model's name: the service's {@code --model-name}, else the only model served;
 *     empty when several are served without one (then requests must name a model)
 * @param models every version of every model the service knows, by name, newest first
 */
public record Models(OptionalLong live, OptionalLong pinned, Optional<String> defaultModel, List<ModelInfo> models) {

    public Models {
        models = List.copyOf(models);
    }

    /** The default model's live version's row, if there is a default model and it has one. */
    public Optional<ModelInfo> liveModel() {
        return defaultModel.flatMap(this::liveModel);
    }

    /** The live version's row of the model named {@code name}, if it has one. */
    public Optional<ModelInfo> liveModel(String name) {
        return models.stream().filter(m -> m.active() && m.name().equals(name)).findFirst();
    }

    /** The names of the models the service knows, in its order. */
    public List<String> names() {
        return models.stream().map(ModelInfo::name).distinct().toList();
    }
}
