package dev.ganpipe.generator.stream;

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
 * Keeps a request the service fails on (an ONNX Runtime error, a bug) from stopping the stream: the original bytes
 * go to the dead-letter topic with reason {@code internal}, the exception is logged with the record's position and
 * the request is counted as rejected. With byte-array serdes and a processor that turns every bad input into a
 * rejection, this fires only on a fault.
 */
public final class RequestErrorHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestErrorHandler.class);

    private HandlerContext handlerContext;

    @Override
    public void configure(Map<String, ?> configs) {
        handlerContext = HandlerContext.from(configs);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.error("Could not deserialise the request at {}-{}@{}; it goes to the dead-letter topic.",
                context.topic(), context.partition(), context.offset(), exception);
        handlerContext.metrics().rejected(RequestRejectReason.INTERNAL);
        return DeserializationExceptionHandler.Response.resume(List.of(handlerContext.deadLetters().record(record.key(), record.value(),
                record.headers(), RequestRejectReason.INTERNAL,
                "The request could not be deserialised (" + exception + "); report this with the record.",
                context.topic(), context.partition(), context.offset())));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.error("Generating the images for the request at {}-{}@{} failed; it goes to the dead-letter topic.",
                context.topic(), context.partition(), context.offset(), exception);
        handlerContext.metrics().rejected(RequestRejectReason.INTERNAL);
        return ProcessingExceptionHandler.Response.resume(List.of(handlerContext.deadLetters().record(context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), RequestRejectReason.INTERNAL,
                "The generator service failed on this request (" + exception + "); resend it, and report it if it fails again.",
                context.topic(), context.partition(), context.offset())));
    }
}
