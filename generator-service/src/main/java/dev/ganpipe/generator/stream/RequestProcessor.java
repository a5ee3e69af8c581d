package dev.ganpipe.generator.stream;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.PngEncoder;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.SyntheticImageHeaders;
import dev.ganpipe.common.streams.DeadLetters;
import dev.ganpipe.generator.images.ConfidenceException;
import dev.ganpipe.generator.images.GeneratedImages;
import dev.ganpipe.generator.images.Generation;
import dev.ganpipe.generator.images.LabelException;
import dev.ganpipe.generator.model.LoadedModel;
import dev.ganpipe.generator.model.ModelChoiceException;
import dev.ganpipe.generator.model.ModelLease;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Answers one {@code synthetic.requests} record with {@code count} PNG records on {@code synthetic.images} (key: the
 * request id), all from one lease on the live version of the model it names (else the default model), or dead-letters it with a reason. Every image is made and
 * encoded before the first is forwarded, so a failure never leaves half an answer. Keys differ in type between the
 * two sinks (request id text, original key bytes), hence {@code Object}.
 */
final class RequestProcessor extends ContextualProcessor<byte[], byte[], Object, byte[]> {

    private final Generation generation;
    private final int maxCount;
    private final RequestMetrics metrics;
    private final CloudEvents events;
    private final DeadLetters deadLetters;

    RequestProcessor(Generation generation, int maxCount, RequestMetrics metrics, CloudEvents events, DeadLetters deadLetters) {
        this.generation = generation;
        this.maxCount = maxCount;
        this.metrics = metrics;
        this.events = events;
        this.deadLetters = deadLetters;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        // Records always come from the source topic here (no punctuation), so the metadata is present.
        RecordMetadata source = context().recordMetadata().orElseThrow(() -> new IllegalStateException(
                "The request processor got a record without source metadata; it must only be fed from " + RequestTopology.SOURCE + "."));
        try {
            answer(record, source);
            metrics.accepted();
        } catch (RequestRejectedException rejected) {
            context().forward(deadLetters.letter(record, source, rejected.reason(), rejected.getMessage()), RequestTopology.DLQ_SINK);
            metrics.rejected(rejected.reason());
        }
    }

    private void answer(Record<byte[], byte[]> record, RecordMetadata source) throws RequestRejectedException {
        String requestId = requestId(record.key());
        SyntheticRequest request = SyntheticRequest.parse(record.value(), maxCount);
        try (ModelLease lease = lease(request)) {
            LoadedModel model = lease.model();
            long seed = request.seed().orElseGet(() -> SyntheticRequest.seedFor(source.topic(), source.partition(), source.offset()));
            GeneratedImages generated;
            try {
                generated = request.minConfidence().isPresent()
                        ? generation.confident(model, seed, request.count(), request.label(), request.minConfidence().getAsDouble())
                        : generation.generate(model, seed, request.count(), Generation.labels(model, request.count(), request.label()));
            } catch (LabelException e) {
                throw new RequestRejectedException(RequestRejectReason.BAD_LABEL, e.getMessage());
            } catch (ConfidenceException e) {
                throw new RequestRejectedException(e.noClassifier() ? RequestRejectReason.NO_CLASSIFIER : RequestRejectReason.LOW_CONFIDENCE,
                        e.getMessage());
            }
            List<CanonicalImage> images = generated.images();
            List<byte[]> pngs = new ArrayList<>(images.size());
            try (PngEncoder encoder = GeneratedImages.pngEncoder()) {
                for (CanonicalImage image : images) {
                    pngs.add(encoder.encode(image));
                }
            }
            String eventPrefix = source.topic() + "-" + source.partition() + "@" + source.offset() + "/";
            for (int i = 0; i < pngs.size(); i++) {
                // Stable event ids (request position and index): a consumer can drop a duplicate it sees twice.
                Headers headers = new SyntheticImageHeaders(model.manifest().name(), model.version(), seed, generated.indices()[i], generated.label(i),
                        model.generator().shape(), generated.confidence(i)).write(events, eventPrefix + i);
                context().forward(new Record<Object, byte[]>(requestId, pngs.get(i), record.timestamp(), headers), RequestTopology.IMAGES_SINK);
            }
        }
    }

    private ModelLease lease(SyntheticRequest request) throws RequestRejectedException {
        Optional<ModelLease> lease;
        try {
            lease = generation.acquire(request.model(), OptionalLong.empty());
        } catch (ModelChoiceException e) {
            throw new RequestRejectedException(RequestRejectReason.UNKNOWN_MODEL, e.getMessage());
        }
        if (lease.isEmpty()) {
            throw new RequestRejectedException(RequestRejectReason.NO_MODEL, request.model().isPresent()
                    ? "Model '" + request.model().get() + "' had no live version when the request arrived; resend it once GET /v1/models shows one."
                    : "No generator model was live when the request arrived; resend it once the service's /readyz answers 200.");
        }
        return lease.get();
    }

    private static String requestId(byte[] key) throws RequestRejectedException {
        if (key == null) {
            throw new RequestRejectedException(RequestRejectReason.MISSING_KEY, "The request has no key; key each request with its request id, "
                    + "which keys every image of the answer.");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new RequestRejectedException(RequestRejectReason.MALFORMED_REQUEST, "The request id (the record key) is not UTF-8 text ("
                    + e.getMessage() + "); key requests with a string id.");
        }
    }
}
