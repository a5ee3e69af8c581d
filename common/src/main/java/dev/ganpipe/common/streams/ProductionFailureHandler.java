package dev.ganpipe.common.streams;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one output record the broker refuses (typically a dead letter larger than the topic's
 * {@code max.message.bytes}) from stopping the stream: it is logged with its source position, counted through the
 * app's listener as {@link StreamErrorKind#PRODUCTION}, and skipped. Retriable errors never reach here; the producer
 * retries those itself.
 */
public final class ProductionFailureHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProductionFailureHandler.class);

    private StreamsHandlerContext handlerContext;

    @Override
    public void configure(Map<String, ?> configs) {
        handlerContext = StreamsHandlerContext.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        LOG.error("The broker refused the output to {} for the input at {}-{}@{} ({} bytes); it is skipped. Raise the topic's "
                + "max.message.bytes, or lower the {}'s limit on input size, if this repeats.", record.topic(), context.topic(),
                context.partition(), context.offset(), record.value() == null ? 0 : record.value().length,
                handlerContext.wording().service(), exception);
        handlerContext.listener().handled(StreamErrorKind.PRODUCTION);
        return Response.resume();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, @SuppressWarnings("rawtypes") ProducerRecord record,
            Exception exception, SerializationExceptionOrigin origin) {
        LOG.error("Could not serialise the output to {} ({}) for the input at {}-{}@{}; it is skipped.", record.topic(), origin,
                context.topic(), context.partition(), context.offset(), exception);
        handlerContext.listener().handled(StreamErrorKind.PRODUCTION);
        return Response.resume();
    }
}
