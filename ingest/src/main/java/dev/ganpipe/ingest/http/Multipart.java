package dev.ganpipe.ingest.http;

import dev.ganpipe.common.http.HttpError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578 on RFC 2046), parsed from bytes already read within the upload's
 * size limit. Written here rather than taken from a library: the body is in memory and bounded, the grammar is
 * small, and the usual libraries (Commons FileUpload, Jetty's or Jersey's parsers) come with a servlet or server
 * API this service does not use. The boundary search is linear (Knuth-Morris-Pratt), so a hostile body cannot make
 * it quadratic; every malformed body is a 400 saying what was wrong.
 */
final class Multipart {

    /** The longest boundary RFC 2046 allows. */
    static final int MAX_BOUNDARY = 70;
    /** The most bytes one part's header block may take. */
    static final int MAX_HEADER_BYTES = 8 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    /**
     * One part.
     *
     * @param name the form field name ({@code name} of {@code Content-Disposition})
     * @param fileName the {@code filename}, when the part is a file
     * @param contentType the part's {@code Content-Type}, when given
     * @param body the part's bytes
     */
    record Part(String name, Optional<String> fileName, Optional<String> contentType, byte[] body) {

        Part {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }

        /** How the part is named in messages: its file name, else its field name. */
        String describe() {
            return "'" + abbreviate(fileName.orElse(name)) + "'";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Part other && name.equals(other.name) && fileName.equals(other.fileName)
                    && contentType.equals(other.contentType) && Arrays.equals(body, other.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, fileName, contentType, Arrays.hashCode(body));
        }

        @Override
        public String toString() {
            return "Part[" + name + ", " + fileName.orElse("-") + ", " + contentType.orElse("-") + ", " + body.length + " bytes]";
        }
    }

    private Multipart() {
    }

    /** Whether a {@code Content-Type} header names a multipart form. */
    static boolean isMultipart(String contentType) {
        return mediaType(contentType).equals("multipart/form-data");
    }

    /**
     * The boundary parameter of a {@code multipart/form-data} content type.
     *
     * @throws HttpError 400 when it is missing or not a valid boundary
     */
    static String boundary(String contentType) {
        int semicolon = contentType.indexOf(';');
        Map<String, String> params = semicolon < 0 ? Map.of() : parameters(contentType.substring(semicolon + 1));
        String boundary = params.get("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw malformed("The multipart Content-Type has no boundary parameter; send multipart/form-data; boundary=... as HTTP "
                    + "clients do (e.g. curl -F file=@image.png).");
        }
        if (boundary.length() > MAX_BOUNDARY || !StandardCharsets.US_ASCII.newEncoder().canEncode(boundary)) {
            throw malformed("The multipart boundary must be 1 to " + MAX_BOUNDARY + " ASCII characters; let the HTTP client choose it.");
        }
        return boundary;
    }

    /**
     * Splits a body into its parts.
     *
     * @param maxParts more parts than this are refused
     * @param maxPartBytes a part longer than this is refused
     * @throws HttpError 400 when the body is not well-formed multipart, 413 when it has too many parts or one too large
     */
    static List<Part> parse(byte[] body, String boundary, int maxParts, int maxPartBytes) {
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] delimiter = concat(CRLF, dashBoundary);
        Searcher delimiters = new Searcher(delimiter);
        // The first boundary may open the body or follow a preamble (which ends with CRLF).
        int at;
        if (startsWith(body, 0, dashBoundary)) {
            at = 0;
        } else {
            int found = delimiters.indexIn(body, 0);
            if (found < 0) {
                throw malformed("The body does not contain the boundary named in its Content-Type; it is not the multipart body it claims to be.");
            }
            at = found + CRLF.length;
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            int after = at + dashBoundary.length;
            if (startsWith(body, after, new byte[] {'-', '-'})) {
                break; // the close delimiter; anything after it is an epilogue, ignored as RFC 2046 says
            }
            while (after < body.length && (body[after] == ' ' || body[after] == '\t')) {
                after++; // transport padding
            }
            if (!startsWith(body, after, CRLF)) {
                throw malformed("A multipart boundary line does not end with CRLF; the body is malformed or truncated.");
            }
            int headersStart = after + CRLF.length;
            int contentStart;
            Map<String, String> headers;
            if (startsWith(body, headersStart, CRLF)) {
                headers = Map.of();
                contentStart = headersStart + CRLF.length;
            } else {
                int headersEnd = indexOf(body, HEADER_END, headersStart, Math.min(body.length, headersStart + MAX_HEADER_BYTES + HEADER_END.length));
                if (headersEnd < 0) {
                    throw malformed("A part's headers do not end with an empty line within " + MAX_HEADER_BYTES
                            + " bytes; the body is malformed or truncated.");
                }
                headers = headers(new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8));
                contentStart = headersEnd + HEADER_END.length;
            }
            int next = delimiters.indexIn(body, contentStart);
            if (next < 0) {
                throw malformed("The body ends before the closing boundary (--" + abbreviate(boundary)
                        + "--); it was truncated or is malformed.");
            }
            if (parts.size() == maxParts) {
                throw new HttpError(413, "too_many_parts", "The upload has more than " + maxParts + " parts; send at most " + maxParts
                        + " per request.");
            }
            Part part = part(headers, body, contentStart, next);
            if (part.body().length > maxPartBytes) {
                throw HttpError.tooLarge("The part " + part.describe() + " has " + part.body().length + " bytes, over the limit of "
                        + maxPartBytes + " per image; downscale or recompress it.");
            }
            parts.add(part);
            at = next + CRLF.length;
        }
        return parts;
    }

    private static Part part(Map<String, String> headers, byte[] body, int from, int to) {
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw malformed("A part has no Content-Disposition header; every part of a form needs one with its field name.");
        }
        int semicolon = disposition.indexOf(';');
        String type = (semicolon < 0 ? disposition : disposition.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = semicolon < 0 ? Map.of() : parameters(disposition.substring(semicolon + 1));
        String name = params.get("name");
        if (!type.equals("form-data") || name == null) {
            throw malformed("A part's Content-Disposition is '" + abbreviate(disposition) + "'; it must be form-data with a name.");
        }
        Optional<String> fileName = Optional.ofNullable(params.get("filename*")).map(Multipart::extendedValue)
                .or(() -> Optional.ofNullable(params.get("filename")));
        return new Part(name, fileName, Optional.ofNullable(headers.get("content-type")), Arrays.copyOfRange(body, from, to));
    }

    /** Header lines ("Name: value", names case-insensitive; a folded continuation line joins the previous one). */
    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        String last = null;
        for (String line : block.split("\r\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                headers.merge(last, " " + line.trim(), String::concat);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("A part header line '" + abbreviate(line) + "' is not 'Name: value'.");
            }
            last = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.put(last, line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** {@code ; a=b; c="d e"} parameters: names lower-cased, values unquoted (backslash escapes honoured). */
    static Map<String, String> parameters(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ';' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && text.charAt(i) != '=' && text.charAt(i) != ';') {
                i++;
            }
            String name = text.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            if (i >= n || text.charAt(i) == ';') {
                continue; // a parameter without a value carries nothing we use
            }
            i++; // '='
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw malformed("A quoted parameter value in '" + abbreviate(text.trim()) + "' has no closing quote.");
                }
            } else {
                while (i < n && text.charAt(i) != ';') {
                    value.append(text.charAt(i++));
                }
            }
            if (!name.isEmpty()) {
                params.putIfAbsent(name, value.toString().trim());
            }
        }
        return params;
    }

    /** An RFC 8187 {@code charset'language'percent-encoded} value, as sent in {@code filename*}. */
    private static String extendedValue(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value.substring(second + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed("The filename* parameter '" + abbreviate(value) + "' is not valid percent-encoding.");
        }
    }

    private static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static HttpError malformed(String message) {
        return new HttpError(400, "bad_multipart", message);
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || body.length - at < prefix.length) {
            return false;
        }
        return Arrays.equals(body, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] body, byte[] needle, int from, int to) {
        for (int i = from; i + needle.length <= to; i++) {
            if (startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** Knuth-Morris-Pratt search for one pattern: linear in the body whatever its content. */
    private static final class Searcher {

        private final byte[] pattern;
        private final int[] fallback;

        Searcher(byte[] pattern) {
            this.pattern = pattern;
            this.fallback = new int[pattern.length];
            int k = 0;
            for (int i = 1; i < pattern.length; i++) {
                while (k > 0 && pattern[i] != pattern[k]) {
                    k = fallback[k - 1];
                }
                if (pattern[i] == pattern[k]) {
                    k++;
                }
                fallback[i] = k;
            }
        }

        /** The first index at or after {@code from} where the pattern starts, or -1. */
        int indexIn(byte[] body, int from) {
            int k = 0;
            for (int i = from; i < body.length; i++) {
                while (k > 0 && body[i] != pattern[k]) {
                    k = fallback[k - 1];
                }
                if (body[i] == pattern[k]) {
                    k++;
                }
                if (k == pattern.length) {
                    return i - pattern.length + 1;
                }
            }
            return -1;
        }
    }
}
