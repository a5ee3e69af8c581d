package dev.ganpipe.ingest.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Builds {@code multipart/form-data} bodies the way HTTP clients (curl -F, browsers) write them. */
final class MultipartBodies {

    static final String BOUNDARY = "----gan-test-7MA4YWxkTrZu0gW";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final String boundary;

    MultipartBodies(String boundary) {
        this.boundary = boundary;
    }

    static MultipartBodies create() {
        return new MultipartBodies(BOUNDARY);
    }

    /** A file part. */
    MultipartBodies file(String field, String fileName, Optional<String> contentType, byte[] bytes) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(field).append("\"; filename=\"").append(fileName).append("\"\r\n");
        contentType.ifPresent(t -> head.append("Content-Type: ").append(t).append("\r\n"));
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** A PNG file part. */
    MultipartBodies png(String fileName, byte[] bytes) {
        return file("file", fileName, Optional.of("image/png"), bytes);
    }

    /** A text field. */
    MultipartBodies field(String name, String value) {
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Anything, verbatim. */
    MultipartBodies raw(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The body with its close delimiter. */
    byte[] build() {
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The body as it is, without a close delimiter (a truncated upload). */
    byte[] buildTruncated() {
        return out.toByteArray();
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }
}
