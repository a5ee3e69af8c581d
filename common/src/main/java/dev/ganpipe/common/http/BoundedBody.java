package dev.ganpipe.common.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that refuses to yield more than the service's body limit: reading past it throws the 413
 * {@link HttpError}, so a chunked body with no Content-Length is bounded like a declared one.
 */
final class BoundedBody extends FilterInputStream {

    private final long limit;
    private long read;

    BoundedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) {
        read += n;
        if (read > limit) {
            throw tooLarge(limit);
        }
    }

    static HttpError tooLarge(long limit) {
        return HttpError.tooLarge("The request body is larger than this service's limit of " + limit
                + " bytes; send less, or split it into several requests.");
    }
}
