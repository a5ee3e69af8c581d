package dev.ganpipe.generator.continuous;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;

/** An in-memory {@link ImageSink} that keeps what it is sent and answers every send at once, successfully or not. */
final class RecordingSink implements ImageSink {

    record Sent(String key, byte[] png, Headers headers) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    volatile Exception failWith;
    volatile boolean closed;

    @Override
    public void send(String key, byte[] png, Headers headers, Consumer<Exception> done) {
        Exception failure = failWith;
        if (failure == null) {
            sent.add(new Sent(key, png, headers));
        }
        done.accept(failure);
    }

    List<String> keys() {
        return sent.stream().map(Sent::key).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
