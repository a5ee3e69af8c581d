package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.model.ModelInfo;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HotSwapUnderLoadTest {

    private static final int CLIENTS = 8;
    private static final int SWAPS = 50;

    @Test
    void fiftySwapsWhileEightClientsGenerateFailNoRequestAndNeverMixModels() throws Exception {
        OrtSessionFactory ort = new OrtSessionFactory(OrtSettings.cpu());
        TestModels.Trained first = TestModels.first();
        TestModels.Trained second = TestModels.second();
        try (ApiHarness api = new ApiHarness(ort)) {
            api.publish(first, 1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            // The bytes for (version, seed) must be the same every time, whatever swap happened meanwhile.
            Map<String, String> bytesByVersionAndSeed = new ConcurrentHashMap<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        int seed = (client * 7 + i++) % 5;
                        HttpResponse<byte[]> r = api.get("/v1/generate?count=4&seed=" + seed);
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
                            continue;
                        }
                        String key = r.headers().firstValue(GeneratorApi.MODEL_VERSION_HEADER).orElseThrow() + "/" + seed;
                        String hash = Hashes.sha256(r.body());
                        String earlier = bytesByVersionAndSeed.putIfAbsent(key, hash);
                        if (earlier != null && !earlier.equals(hash)) {
                            failures.add("different bytes for version/seed " + key);
                        }
                        ok.incrementAndGet();
                    }
                }));
            }

            for (int v = 2; v <= SWAPS + 1; v++) {
                api.publish(v % 2 == 0 ? second : first, v);
                if (v % 10 == 0) {
                    assertThat(api.post("/v1/models/" + (v - 1) + "/activate", null).statusCode()).isEqualTo(200);
                    assertThat(api.post("/v1/models/latest/activate", null).statusCode()).isEqualTo(200);
                }
            }
            stop.set(true);
            for (Thread client : clients) {
                client.join();
            }

            assertThat(failures).isEmpty();
            assertThat(ok.get()).isGreaterThan(CLIENTS);
            assertThat(bytesByVersionAndSeed.keySet().stream().map(k -> k.split("/")[0]).distinct().count())
                    .as("versions that served requests").isGreaterThan(1);
            assertThat(api.registry.liveVersion()).hasValue(SWAPS + 1);
            assertThat(api.registry.models().stream().filter(m -> m.status().equals("loaded")).map(ModelInfo::version))
                    .containsExactly((long) SWAPS + 1, (long) SWAPS, (long) SWAPS - 1);
        }
    }
}
