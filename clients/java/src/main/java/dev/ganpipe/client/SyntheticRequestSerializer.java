package dev.ganpipe.client;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a {@link SyntheticRequest} as the JSON value the generator service reads from {@code synthetic.requests}. */
public final class SyntheticRequestSerializer implements Serializer<SyntheticRequest> {

    @Override
    public byte[] serialize(String topic, SyntheticRequest request) {
        return request == null ? null : request.toJson().getBytes(StandardCharsets.UTF_8);
    }
}
