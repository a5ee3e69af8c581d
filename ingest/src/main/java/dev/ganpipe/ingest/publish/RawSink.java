package dev.ganpipe.ingest.publish;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where raw images go: {@code images.raw} in production, a list in tests of the command's own logic. */
public interface RawSink extends AutoCloseable {

    /**
     * Sends one image.
     *
     * @return completes when the broker acknowledged the record, or exceptionally when it was not written
     */
    CompletableFuture<Void> send(RawImage image);

    /**
     * Sends images that stand or fall together (one multipart upload): the broker stores all of them or none.
     *
     * @return completes when all are stored, or exceptionally when none is
     */
    CompletableFuture<Void> sendAll(List<RawImage> images);

    /** Blocks until every record sent so far is acknowledged or failed. */
    void flush();

    @Override
    void close();
}
