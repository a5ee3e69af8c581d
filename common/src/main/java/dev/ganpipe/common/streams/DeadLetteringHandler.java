package dev.ganpipe.common.streams;

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
 * Keeps a record that cannot be deserialised or processed from stopping the stream: the original bytes go to the
 * dead-letter topic with the app's {@code internal} reason, the exception is logged with the record's position, and
 * the app's listener counts it. With byte-array serdes and processors that turn every bad input into a rejection of
 * their own, this fires only on a fault.
 */
public final class DeadLetteringHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringHandler.class);

    private StreamsHandlerContext handlerContext;

    @Override
    public void configure(Map<String, ?> configs) {
        handlerContext = StreamsHandlerContext.from(configs);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.error("Could not deserialise the {} at {}-{}@{}; it goes to the dead-letter topic.", handlerContext.wording().noun(),
                context.topic(), context.partition(), context.offset(), exception);
        handlerContext.listener().handled(StreamErrorKind.DESERIALIZATION);
        return DeserializationExceptionHandler.Response.resume(List.of(handlerContext.deadLetters().record(record.key(), record.value(),
                record.headers(), handlerContext.internal(), handlerContext.wording().deserializationDetail(exception),
                context.topic(), context.partition(), context.offset())));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.error("The {} failed on the {} at {}-{}@{}; it goes to the dead-letter topic.", handlerContext.wording().service(),
                handlerContext.wording().noun(), context.topic(), context.partition(), context.offset(), exception);
        handlerContext.listener().handled(StreamErrorKind.PROCESSING);
        return ProcessingExceptionHandler.Response.resume(List.of(handlerContext.deadLetters().record(context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), handlerContext.internal(), handlerContext.wording().processingDetail(exception),
                context.topic(), context.partition(), context.offset())));
    }
}
