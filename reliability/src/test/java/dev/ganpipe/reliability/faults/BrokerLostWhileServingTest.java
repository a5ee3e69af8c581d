package dev.ganpipe.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker stops while the generator service serves four concurrent HTTP clients: every request is answered with
 * the current model during the outage, and once the broker is back (same data, same port) a model published then is
 * picked up.
 */
class BrokerLostWhileServingTest {

    private static final int CLIENTS = 4;

    @RegisterExtension
    static final TestBroker kafka = new TestBroker();

    @Test
    void generateKeepsServingThroughABrokerOutageAndPicksUpAModelPublishedAfterIt() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Faults.Model first = Faults.Model.train(1, 1);
        Faults.Model second = Faults.Model.train(2, 2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong answered = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            TopicCatalog topics = Faults.createTopics(bootstrap, "outage", 1);
            try (KafkaProducer<byte[], byte[]> producer = Faults.producer(bootstrap)) {
                Faults.send(producer, first.record(topics.modelsGenerator()));
            }
            GeneratorConfig config = Faults.generatorConfig(bootstrap, topics, "faults-outage-requests");
            try (GeneratorService generator = GeneratorService.start(config, MeterRegistries.prometheus("generator"));
                    HttpClient http = HttpClient.newHttpClient()) {
                await().atMost(Duration.ofSeconds(90)).until(generator::ready);
                URI generate = URI.create("http://127.0.0.1:" + generator.port() + "/v1/generate?count=4&seed=3");
                for (int c = 0; c < CLIENTS; c++) {
                    clients.submit(() -> {
                        while (!stop.get()) {
                            try {
                                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(generate).timeout(Duration.ofSeconds(30)).build(),
                                        HttpResponse.BodyHandlers.ofByteArray());
                                if (response.statusCode() == 200) {
                                    answered.incrementAndGet();
                                } else {
                                    failures.add(response.statusCode() + " " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                                }
                            } catch (Exception e) {
                                failures.add(e.toString());
                            }
                        }
                        return null;
                    });
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 20);

                long outageStart = System.nanoTime();
                kafka.stop();
                long atOutage = answered.get();
                // Serving on with the broker gone: at least 100 more answers, all with the model loaded before.
                await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() >= atOutage + 100);
                long duringOutage = answered.get() - atOutage;
                assertThat(generator.registry().liveVersion()).isEqualTo(OptionalLong.of(1));

                kafka.startAgain();
                double outageSeconds = (System.nanoTime() - outageStart) / 1e9;
                long atReturn = answered.get();
                try (KafkaProducer<byte[], byte[]> producer = Faults.producer(bootstrap)) {
                    Faults.send(producer, second.record(topics.modelsGenerator()));
                }
                await().atMost(Duration.ofSeconds(90)).until(() -> generator.registry().liveVersion().equals(OptionalLong.of(2)));
                await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= atReturn + 20);
                stop.set(true);
                clients.shutdown();
                assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                System.out.printf("broker lost while serving: %d requests answered in all, %d while the broker was down (%.1f s from close to "
                        + "restarted), %d failed; model v2 published after the restart is live%n", answered.get(), duringOutage, outageSeconds,
                        failures.size());
                assertThat(failures).as("no request failed").isEmpty();
                await().atMost(Duration.ofSeconds(90)).until(generator::ready);
            }
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }
    }
}
