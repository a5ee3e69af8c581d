package dev.ganpipe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.quality.onnx.TinyOnnx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateMainTest {

    private static final ImageShape GRAY = new ImageShape(28, 28, 1);

    @TempDir
    Path dir;

    @Test
    void helpListsEveryOption() {
        Result r = run("--help");

        assertThat(r.status()).isEqualTo(EvaluateMain.OK);
        assertThat(r.out()).contains("Usage: gan evaluate", "--model <value>", "--real <value>", "--count <value>", "--held-out <value>",
                "--cache-dir <value>", "--out <value>", "--json", "GAN_COUNT", "--cas-images <value>", "--uplift-k <value>");
    }

    @Test
    void aMissingModelIsAUsageErrorThatNamesTheFlag() {
        Result r = run("--real", "sample:fashion-mnist");

        assertThat(r.status()).isEqualTo(EvaluateMain.USAGE);
        assertThat(r.err()).contains("--model").contains("--help");
    }

    @Test
    void aBadNumberIsAUsageError() {
        Result r = run("--model", "m.onnx", "--real", "x", "--count", "many");

        assertThat(r.status()).isEqualTo(EvaluateMain.USAGE);
        assertThat(r.err()).contains("--count").contains("many");

        Result certainty = run("--model", "m.onnx", "--real", "x", "--min-confidence", "1");

        assertThat(certainty.status()).isEqualTo(EvaluateMain.USAGE);
        assertThat(certainty.err()).contains("--min-confidence", "from 0 to below 1");
    }

    @Test
    void anUnreadableModelFailsWithTheReason() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "nope");

        Result r = run("--model", junk.toString(), "--real", "sample:fashion-mnist", "--cache-dir", dir.resolve("cache").toString());

        assertThat(r.status()).isEqualTo(EvaluateMain.FAILED);
        assertThat(r.err()).contains("is not a model ONNX Runtime can load");
    }

    @Test
    void evaluatesAnOnnxGeneratorEndToEndAndReusesTheClassifier() throws IOException {
        IdxWriter.write(dir, "train", ShapeImages.data("train", GRAY, 60, 1));
        IdxWriter.write(dir, "t10k", ShapeImages.data("test", GRAY, 20, 2));
        Random random = new Random(3);
        int nz = 8;
        float[] w = new float[nz * GRAY.values()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        Path model = Files.write(dir.resolve("tiny.onnx"), TinyOnnx.linearTanh(GRAY, nz, w, new float[GRAY.values()], true, Map.of(ModelMetadata.STEP, "7")));
        Path out = dir.resolve("report");
        List<String> args = List.of("--model", model.toString(), "--real", dir.toString(), "--count", "60", "--kid-subsets", "4",
                "--kid-subset-size", "30", "--epochs", "2", "--cache-dir", dir.resolve("cache").toString());

        Result first = run(concat(args, "--out", out.toString(), "--json", "--memorisation-images", "40"));

        assertThat(first.status()).as(first.err()).isEqualTo(EvaluateMain.OK);
        JsonNode json = Json.mapper().readTree(first.out());
        assertThat(json.path("generator").asText()).isEqualTo("tiny.onnx (step 7)");
        assertThat(json.path("settings").path("count").asInt()).isEqualTo(60);
        assertThat(json.path("generated").path("fid").asDouble()).isGreaterThan(json.path("floor").path("fid").asDouble());
        assertThat(json.path("classifier").path("from_cache").asBoolean()).isFalse();
        assertThat(first.err()).contains("epoch 2/2", "held-out accuracy", "Generating and classifying 60 images", "Wrote report.txt");
        assertThat(Files.readString(out.resolve(EvaluateMain.REPORT_TXT))).contains("FID (classifier)");
        assertThat(Json.mapper().readTree(out.resolve(EvaluateMain.REPORT_JSON).toFile()).path("image_shape").asText()).isEqualTo("28x28x1");
        assertThat(ImageIO.read(out.resolve(EvaluateMain.REPORT_PNG).toFile()).getWidth()).isGreaterThan(400);
        JsonNode usefulness = json.path("usefulness");
        assertThat(usefulness.path("memorisation").path("generated").asInt()).isEqualTo(40);
        assertThat(usefulness.path("cas").isNull()).as("an unconditional model has no CAS").isTrue();
        assertThat(usefulness.path("omitted").asText()).contains("conditional generator");

        Result second = run(concat(args, "--usefulness", "false"));

        assertThat(second.status()).as(second.err()).isEqualTo(EvaluateMain.OK);
        assertThat(second.err()).contains("Loaded the classifier from").doesNotContain("epoch 1/2");
        assertThat(second.out()).contains("Quality of tiny.onnx (step 7)", "FID (classifier)", "floor (real train)").doesNotContain("Memorisation");

        Result filtered = run(concat(args, "--usefulness", "false", "--min-confidence", "0.9"));

        assertThat(filtered.status()).as("an unconditional model has no confidence to filter on").isEqualTo(EvaluateMain.FAILED);
        assertThat(filtered.err()).contains("tiny.onnx (step 7) is unconditional", "--quality-data");
    }

    @Test
    void evaluatesA32x32RgbGeneratorAgainst32x32RgbImagesAtTheirOwnSize() throws IOException {
        ImageShape rgb32 = new ImageShape(32, 32, 3);
        Random random = new Random(5);
        Path real = dir.resolve("real");
        for (int c = 0; c < ShapeImages.CLASSES.size(); c++) {
            Path folder = Files.createDirectories(real.resolve(ShapeImages.CLASSES.get(c)));
            for (int i = 0; i < 25; i++) {
                Files.write(folder.resolve("i" + i + ".png"), Png.encode(ShapeImages.image(random, rgb32, c)));
            }
        }
        int nz = 8;
        float[] w = new float[nz * rgb32.values()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        Path model = Files.write(dir.resolve("rgb32.onnx"), TinyOnnx.linearTanh(rgb32, nz, w, new float[rgb32.values()], true, Map.of()));

        Result r = run("--model", model.toString(), "--real", real.toString(), "--count", "30", "--kid-subsets", "2",
                "--kid-subset-size", "10", "--epochs", "1", "--usefulness", "false", "--json", "--cache-dir", dir.resolve("cache").toString());

        assertThat(r.status()).as(r.err()).isEqualTo(EvaluateMain.OK);
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json.path("image_shape").asText()).isEqualTo("32x32x3");
        assertThat(json.path("classifier").path("architecture").asText()).as("two pooling steps, 32 -> 16 -> 8")
                .isEqualTo("cnn1-32x32x3-k3-c32.64-f128");
        assertThat(json.path("generated").path("fid").asDouble()).isGreaterThan(json.path("floor").path("fid").asDouble());
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        return run(List.of(args));
    }

    private static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = EvaluateMain.run(args, Map.of(), o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
