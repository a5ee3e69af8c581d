package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** docker-compose.yml against the project: healthchecks, pinned images, mounts, ports, topics, the GPU profile. */
class ComposeFileTest {

    private static final Map<String, JsonNode> SERVICES = Repo.composeServices();

    /** The services built from this repository, and the CPU service each GPU variant stands in for. */
    private static final Map<String, String> PIPELINE_SERVICES = Map.of(
            DesignPorts.INGEST, DesignPorts.INGEST,
            DesignPorts.TRAINER, DesignPorts.TRAINER,
            DesignPorts.GENERATOR, DesignPorts.GENERATOR,
            "trainer-gpu", DesignPorts.TRAINER,
            "generator-service-gpu", DesignPorts.GENERATOR);

    @Test
    void runsKafkaTheTopicsThePipelineAndItsMonitoring() {
        assertThat(SERVICES).containsKeys("kafka", "topic-init", "ingest", "trainer", "generator-service",
                "trainer-gpu", "generator-service-gpu", "prometheus", "grafana");
    }

    @Test
    void everyServiceHasAHealthcheck() {
        List<String> problems = new ArrayList<>();
        SERVICES.forEach((name, service) -> {
            JsonNode check = service.path("healthcheck");
            if (Repo.texts(check.path("test")).isEmpty() || check.path("disable").asBoolean(false)) {
                problems.add(name + " has no healthcheck test");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyImageIsPinnedToAVersionTag() {
        Map<String, String> images = new TreeMap<>();
        SERVICES.forEach((name, service) -> {
            if (service.has("image")) {
                images.put("service " + name, service.get("image").asText());
            }
        });
        Dockerfile.read().baseImages().forEach(image -> images.put("docker/Dockerfile FROM", image));
        assertThat(images).isNotEmpty();
        List<String> problems = new ArrayList<>();
        images.forEach((where, image) -> {
            if (!isPinned(image)) {
                problems.add(where + " uses " + image + ", which is not pinned to a version tag");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void pinningMeansATagThatIsNotLatest() {
        assertThat(isPinned("apache/kafka:4.1.0")).isTrue();
        assertThat(isPinned("localhost:5000/kafka:4.1.0")).isTrue();
        assertThat(isPinned("apache/kafka")).isFalse();
        assertThat(isPinned("apache/kafka:latest")).isFalse();
        assertThat(isPinned("localhost:5000/kafka")).isFalse();
    }

    @Test
    void builtServicesUseTheSharedDockerfileAndOneOfItsTargets() {
        Dockerfile dockerfile = Dockerfile.read();
        List<String> problems = new ArrayList<>();
        for (String name : PIPELINE_SERVICES.keySet()) {
            JsonNode build = SERVICES.get(name).path("build");
            if (!build.path("context").asText().equals(".") || !build.path("dockerfile").asText().equals("docker/Dockerfile")) {
                problems.add(name + " is not built from docker/Dockerfile with the repository root as context");
            }
            if (!dockerfile.stages().contains(build.path("target").asText())) {
                problems.add(name + " builds target '" + build.path("target").asText() + "', which docker/Dockerfile does not have");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyBindMountedPathExistsAndEveryNamedVolumeIsDeclared() {
        Set<String> declared = new TreeSet<>();
        Repo.yaml("docker-compose.yml").path("volumes").fieldNames().forEachRemaining(declared::add);
        List<String> problems = new ArrayList<>();
        SERVICES.forEach((name, service) -> {
            for (Mount mount : mounts(service)) {
                if (mount.isBind()) {
                    Path source = Repo.root().resolve(mount.source()).normalize();
                    if (!source.startsWith(Repo.root()) || !Files.exists(source)) {
                        problems.add(name + " bind-mounts " + mount.source() + ", which is not in the repository");
                    }
                } else if (!declared.contains(mount.source())) {
                    problems.add(name + " mounts volume " + mount.source() + ", which the top-level volumes do not declare");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void pipelineServicesPublishAndProbeTheirDefaultPorts() {
        Map<String, Integer> design = DesignPorts.fromDesign();
        List<String> problems = new ArrayList<>();
        PIPELINE_SERVICES.forEach((name, twin) -> {
            int port = design.get(twin);
            JsonNode service = SERVICES.get(name);
            if (!Repo.texts(service.path("ports")).equals(List.of(port + ":" + port))) {
                problems.add(name + " publishes " + Repo.texts(service.path("ports")) + " instead of " + port + ":" + port);
            }
            String probe = String.join(" ", Repo.texts(service.path("healthcheck").path("test")));
            if (!probe.contains("http://localhost:" + port + "/healthz") && !probe.contains("http://localhost:" + port + "/readyz")) {
                problems.add(name + "'s healthcheck does not probe /healthz or /readyz on port " + port + ": " + probe);
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void pipelineServicesReachKafkaOnItsAdvertisedListenerAfterTheTopicsExist() {
        String advertised = Repo.environment(SERVICES.get("kafka")).get("KAFKA_ADVERTISED_LISTENERS");
        assertThat(advertised).contains("PLAINTEXT://kafka:9092");
        List<String> problems = new ArrayList<>();
        for (String name : PIPELINE_SERVICES.keySet()) {
            JsonNode service = SERVICES.get(name);
            if (!"kafka:9092".equals(Repo.environment(service).get("GAN_BOOTSTRAP_SERVERS"))) {
                problems.add(name + " does not set GAN_BOOTSTRAP_SERVERS=kafka:9092");
            }
            JsonNode dependsOn = service.path("depends_on");
            if (!dependsOn.path("kafka").path("condition").asText().equals("service_healthy")) {
                problems.add(name + " does not wait for kafka to be healthy");
            }
            if (!dependsOn.path("topic-init").path("condition").asText().equals("service_completed_successfully")) {
                problems.add(name + " does not wait for topic-init to complete");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(SERVICES.get("topic-init").path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
    }

    @Test
    void topicInitCreatesTheCatalogTopicsWithTheSettingsTopicSetupUses() {
        JsonNode topicInit = SERVICES.get("topic-init");
        assertThat(topicInit.path("image").asText()).isEqualTo(SERVICES.get("kafka").path("image").asText());
        String script = String.join("\n", Repo.texts(topicInit.path("command")));
        assertThat(script).contains("--create --if-not-exists");

        Map<String, CreatedTopic> created = createdTopics(script);
        TopicCatalog catalog = TopicCatalog.defaults();
        assertThat(created.keySet()).containsExactlyInAnyOrder(catalog.imagesRaw(), catalog.imagesTrain(), catalog.imagesDlq(),
                catalog.modelsGenerator(), catalog.syntheticRequests(), catalog.syntheticImages());

        for (NewTopic expected : TopicSetup.newTopics(catalog, 3, (short) 1)) {
            CreatedTopic actual = created.get(expected.name());
            assertThat(actual.partitions()).as("partitions of " + expected.name()).isEqualTo(expected.numPartitions());
            Map<String, String> configs = expected.configs() == null ? Map.of() : expected.configs();
            assertThat(actual.configs()).as("configs of " + expected.name()).isEqualTo(configs);
        }
        CreatedTopic models = created.get(catalog.modelsGenerator());
        assertThat(models.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("max.message.bytes", "67108864")
                .containsEntry("max.message.bytes", Integer.toString(KafkaSettings.MAX_MODEL_BYTES));
        assertThat(models.partitions()).isEqualTo(1);
    }

    @Test
    void theTrainerWritesTheModelsVolumeAndTheGeneratorServiceReadsItReadOnly() {
        for (String trainer : List.of("trainer", "trainer-gpu")) {
            JsonNode service = SERVICES.get(trainer);
            assertThat(Repo.environment(service))
                    .containsEntry("GAN_MODELS_DIR", "/data/models")
                    .containsEntry("GAN_SAMPLES_DIR", "/data/samples")
                    .containsEntry("GAN_CHECKPOINT_DIR", "/data/checkpoints");
            assertThat(mounts(service)).contains(new Mount("models", "/data/models", false),
                    new Mount("samples", "/data/samples", false), new Mount("checkpoints", "/data/checkpoints", false));
        }
        for (String generator : List.of("generator-service", "generator-service-gpu")) {
            JsonNode service = SERVICES.get(generator);
            assertThat(Repo.environment(service)).containsEntry("GAN_MODELS_DIR", "/data/models");
            assertThat(mounts(service)).containsExactly(new Mount("models", "/data/models", true));
        }
    }

    @Test
    void gpuServicesReserveAnNvidiaGpuAndOtherwiseMirrorTheirCpuTwins() {
        List<String> problems = new ArrayList<>();
        PIPELINE_SERVICES.forEach((name, twin) -> {
            if (name.equals(twin)) {
                if (SERVICES.get(name).has("profiles")) {
                    problems.add(name + " must run without a profile");
                }
                return;
            }
            JsonNode gpu = SERVICES.get(name);
            JsonNode cpu = SERVICES.get(twin);
            if (!Repo.texts(gpu.path("profiles")).equals(List.of("gpu"))) {
                problems.add(name + " is not in (only) the gpu profile");
            }
            JsonNode devices = gpu.path("deploy").path("resources").path("reservations").path("devices");
            boolean reservesGpu = false;
            for (JsonNode device : devices) {
                reservesGpu |= device.path("driver").asText().equals("nvidia") && Repo.texts(device.path("capabilities")).contains("gpu");
            }
            if (!reservesGpu) {
                problems.add(name + " does not reserve an NVIDIA GPU under deploy.resources.reservations.devices");
            }
            Map<String, String> gpuEnv = Repo.environment(gpu);
            Repo.environment(cpu).forEach((key, value) -> {
                if (!value.equals(gpuEnv.get(key))) {
                    problems.add(name + " sets " + key + "=" + gpuEnv.get(key) + " but " + twin + " sets " + value);
                }
            });
            if (!mounts(gpu).equals(mounts(cpu)) || !Repo.texts(gpu.path("ports")).equals(Repo.texts(cpu.path("ports")))) {
                problems.add(name + " does not mount and publish what " + twin + " does");
            }
            if (!Repo.texts(gpu.path("networks").path("default").path("aliases")).contains(twin)) {
                problems.add(name + " lacks the network alias " + twin + ", so Prometheus would not find it");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void grafanaAllowsAnonymousViewersAndMountsTheProvisioningAndDashboards() {
        JsonNode grafana = SERVICES.get("grafana");
        assertThat(Repo.environment(grafana))
                .containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
                .containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
        assertThat(mounts(grafana)).contains(
                new Mount("./monitoring/grafana/provisioning", "/etc/grafana/provisioning", true),
                new Mount("./monitoring/grafana/dashboards", "/var/lib/grafana/dashboards", true));
        assertThat(mounts(SERVICES.get("prometheus"))).contains(new Mount("./monitoring/prometheus", "/etc/prometheus", true));
    }

    static boolean isPinned(String image) {
        String withoutDigest = image.split("@", 2)[0];
        String lastPart = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
        int colon = lastPart.indexOf(':');
        return colon > 0 && colon < lastPart.length() - 1 && !lastPart.substring(colon + 1).equals("latest");
    }

    /** A volume or bind mount in compose's short syntax {@code source:target[:ro]}. */
    record Mount(String source, String target, boolean readOnly) {

        boolean isBind() {
            return source.startsWith(".") || source.startsWith("/");
        }
    }

    static List<Mount> mounts(JsonNode service) {
        List<Mount> result = new ArrayList<>();
        for (String entry : Repo.texts(service.path("volumes"))) {
            String[] parts = entry.split(":");
            assertThat(parts.length).as("volume entry '" + entry + "' in short syntax source:target[:ro]").isBetween(2, 3);
            result.add(new Mount(parts[0], parts[1], parts.length == 3 && parts[2].equals("ro")));
        }
        return result;
    }

    private record CreatedTopic(int partitions, Map<String, String> configs) {
    }

    private static final Pattern TOPIC = Pattern.compile("--topic\\s+(\\S+)");
    private static final Pattern PARTITIONS = Pattern.compile("--partitions\\s+(\\d+)");
    private static final Pattern CONFIG = Pattern.compile("--config\\s+([\\w.]+)=(\\S+)");

    /** The topics topic-init's script creates: every line that gives a topic its partitions. */
    private static Map<String, CreatedTopic> createdTopics(String script) {
        Map<String, CreatedTopic> topics = new LinkedHashMap<>();
        for (String line : script.split("\n")) {
            Matcher topic = TOPIC.matcher(line);
            Matcher partitions = PARTITIONS.matcher(line);
            if (topic.find() && partitions.find()) {
                Map<String, String> configs = new TreeMap<>();
                Matcher config = CONFIG.matcher(line);
                while (config.find()) {
                    configs.put(config.group(1), config.group(2));
                }
                topics.put(topic.group(1), new CreatedTopic(Integer.parseInt(partitions.group(1)), configs));
            }
        }
        return topics;
    }
}
