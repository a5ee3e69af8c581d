package dev.ganpipe.images.normalize;

import dev.ganpipe.common.streams.DeadLetterReason;

/**
 * Why an input image was refused: the machine codes carried in the {@code gan.error.reason} header of
 * {@code images.dlq} and in the {@code reason} tag of {@code gan_ingest_images_total}.
 */
public enum ImageRejectReason implements DeadLetterReason {
    /** No bytes at all. */
    EMPTY("empty"),
    /** More bytes than the configured limit. */
    TOO_LARGE("too_large"),
    /** The bytes are no image in any format we know, or the decoder failed on them. */
    UNDECODABLE("undecodable"),
    /** A recognised image format (or variant of one, e.g. lossless JPEG) that this service cannot decode. */
    UNSUPPORTED_FORMAT("unsupported_format"),
    /** The declared dimensions exceed the pixel limit: a possible decompression bomb, never decoded. */
    TOO_MANY_PIXELS("too_many_pixels"),
    /** Narrower or lower than the configured minimum side. */
    TOO_SMALL("too_small"),
    /** The label is neither a class index in range nor a configured class name. */
    BAD_LABEL("bad_label"),
    /** The image stops before its end: the decoder ran out of data. */
    TRUNCATED("truncated"),
    /** The service itself failed on this record (a bug); the record is kept in the DLQ for a replay. */
    INTERNAL("internal");

    private final String code;

    ImageRejectReason(String code) {
        this.code = code;
    }

    /** The machine code, e.g. {@code too_many_pixels}. */
    @Override
    public String code() {
        return code;
    }
}
