package dev.ganpipe.ingest.stream;

import dev.ganpipe.images.normalize.ImageRejectReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a record that cannot be deserialised or processed from stopping the stream: the original bytes go to
 * {@code images.dlq} with reason {@code internal} and the stream resumes. With byte-array serdes and a
 * normaliser that turns every decoder failure into a rejection, this only fires on a bug; it logs the exception
 * and counts it in {@code gan_ingest_stream_errors_total}.
 */
public final class UnprocessableRecordHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UnprocessableRecordHandler.class);

    private StreamsHandlerContext handlerContext;

    @Override
    public void configure(Map<String, ?> configs) {
        handlerContext = StreamsHandlerContext.from(configs);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.error("Could not deserialise the record at {}-{}@{}; it goes to the dead-letter topic.",
                context.topic(), context.partition(), context.offset(), exception);
        handlerContext.metrics().streamError(IngestMetrics.ErrorKind.DESERIALIZATION);
        handlerContext.metrics().rejected(ImageRejectReason.INTERNAL);
        return DeserializationExceptionHandler.Response.resume(List.of(handlerContext.deadLetters().record(record.key(), record.value(),
                record.headers(), ImageRejectReason.INTERNAL,
                "The record could not be deserialised (" + exception + "); report this with the record.",
                context.topic(), context.partition(), context.offset())));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.error("The normaliser failed on the record at {}-{}@{}; it goes to the dead-letter topic.",
                context.topic(), context.partition(), context.offset(), exception);
        handlerContext.metrics().streamError(IngestMetrics.ErrorKind.PROCESSING);
        handlerContext.metrics().rejected(ImageRejectReason.INTERNAL);
        return ProcessingExceptionHandler.Response.resume(List.of(handlerContext.deadLetters().record(context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), ImageRejectReason.INTERNAL,
                "The ingest service failed on this record (" + exception + "); report it with the record, then replay it.",
                context.topic(), context.partition(), context.offset())));
    }
}
