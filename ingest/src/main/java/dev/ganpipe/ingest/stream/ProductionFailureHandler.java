package dev.ganpipe.ingest.stream;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one output record the broker refuses (typically a dead letter larger than the topic's
 * {@code max.message.bytes}) from stopping the stream: it is logged with its source position, counted in
 * {@code gan_ingest_stream_errors_total{kind="production"}}, and skipped. Retriable errors never reach here;
 * the producer retries those itself.
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
                + "max.message.bytes or lower --max-bytes if this repeats.", record.topic(), context.topic(), context.partition(),
                context.offset(), record.value() == null ? 0 : record.value().length, exception);
        handlerContext.metrics().streamError(IngestMetrics.ErrorKind.PRODUCTION);
        return Response.resume();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, @SuppressWarnings("rawtypes") ProducerRecord record,
            Exception exception, SerializationExceptionOrigin origin) {
        LOG.error("Could not serialise the output to {} ({}) for the input at {}-{}@{}; it is skipped.", record.topic(), origin,
                context.topic(), context.partition(), context.offset(), exception);
        handlerContext.metrics().streamError(IngestMetrics.ErrorKind.PRODUCTION);
        return Response.resume();
    }
}
