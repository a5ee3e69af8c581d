package dev.ganpipe.generator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.ConditionalTestModel;
import dev.ganpipe.generator.TestModels;
import dev.ganpipe.generator.ZipEntries;
import dev.ganpipe.generator.model.OfferOutcome;
import dev.ganpipe.generator.onnx.OnnxGenerator;
import dev.ganpipe.generator.onnx.OrtSessionFactory;
import dev.ganpipe.generator.onnx.OrtSettings;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The gallery page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), driven by
 * Selenium with both paths given, so Selenium Manager never looks for or downloads a driver. Without Chromium the
 * test is skipped, except in CI (environment variable {@code CI} set), where it fails. With
 * {@value #SCREENSHOT_ENV} set it saves a screenshot to {@code docs/gallery.png} (or to the {@code .png} path the
 * variable names); {@value #SCREENSHOT_MODEL_ENV} may then name another ONNX generator to show (e.g. one trained
 * longer than the tests' two steps), as docs/gallery.png does.
 */
class GalleryBrowserTest {

    static final String SCREENSHOT_ENV = "GAN_WRITE_SCREENSHOT";
    static final String SCREENSHOT_MODEL_ENV = "GAN_SCREENSHOT_MODEL";
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("GAN_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("GAN_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static OrtSessionFactory ort;
    private static ChromeDriver driver;

    @TempDir
    static Path profile;

    @BeforeAll
    static void startChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "The gallery browser test needs Chromium at " + CHROMIUM + " and its driver at " + CHROMEDRIVER
                    + "; install them with 'apt-get install -y chromium chromium-driver' (or point GAN_CHROMIUM and GAN_CHROMEDRIVER at them).";
            if (System.getenv("CI") != null) {
                fail(message + " CI is set, so a missing browser fails the build instead of skipping the test.");
            }
            Assumptions.abort(message + " Skipped.");
        }
        ort = new OrtSessionFactory(OrtSettings.cpu());
        driver = browser();
    }

    @AfterAll
    static void stopChromium() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=900,1000"));
        // The driver path given explicitly: Selenium uses it as it is and never runs Selenium Manager.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String info() {
        return driver.findElement(By.id("info")).getText();
    }

    /** The image's pixels as a data URL, read through a canvas once the image has loaded; null until then. */
    private static String pixels(WebElement image) {
        return (String) ((JavascriptExecutor) driver).executeScript("""
                const img = arguments[0];
                if (!img.complete || img.naturalWidth === 0) return null;
                const canvas = document.createElement('canvas');
                canvas.width = img.naturalWidth;
                canvas.height = img.naturalHeight;
                canvas.getContext('2d').drawImage(img, 0, 0);
                return canvas.toDataURL('image/png');
                """, image);
    }

    private static long naturalWidth(WebElement image) {
        return ((Number) ((JavascriptExecutor) driver).executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0;", image))
                .longValue();
    }

    @Test
    void theGalleryShowsTheLiveModelsSamplesWithItsVersionAndRegenerateDrawsNewOnes() throws IOException {
        try (ApiHarness api = new ApiHarness(ort)) {
            publishShownModel(api);
            driver.get(api.uri("/").toString());
            WebDriverWait wait = waitForPage();
            wait.until(d -> info().startsWith(TestModels.NAME + " v7"));
            WebElement grid = driver.findElement(By.cssSelector("#samples img"));
            wait.until(d -> naturalWidth(grid) > 0);
            assertThat(naturalWidth(grid)).as("an 8x8 grid of 28-pixel tiles").isEqualTo(8 * 28 + 9 * ResponseFormat.GRID_PADDING);
            String before = pixels(grid);
            String caption = info();
            assertThat(caption).contains("seed");

            driver.findElement(By.id("regenerate")).click();
            wait.until(d -> !info().equals(caption));
            WebElement regenerated = driver.findElement(By.cssSelector("#samples img"));
            wait.until(d -> pixels(regenerated) != null);

            assertThat(info()).startsWith(TestModels.NAME + " v7").contains("seed");
            assertThat(pixels(regenerated)).as("a new seed draws other images").isNotEqualTo(before);
            saveScreenshotIfAsked();
        }
    }

    @Test
    void aConditionalModelGetsOneCaptionedRowPerClass() {
        try (ApiHarness api = new ApiHarness(ort)) {
            byte[] onnx = ConditionalTestModel.onnx();
            api.registry.offer(ConditionalTestModel.manifest(onnx, 2), onnx, "test");
            driver.get(api.uri("/").toString());
            WebDriverWait wait = waitForPage();
            wait.until(d -> info().startsWith(ConditionalTestModel.NAME + " v2"));

            assertThat(info()).contains("3 classes");
            assertThat(driver.findElements(By.cssSelector("#samples figcaption"))).extracting(WebElement::getText)
                    .containsExactly("0: circle", "1: square", "2: cross");
            List<WebElement> rows = driver.findElements(By.cssSelector("#samples img"));
            assertThat(rows).hasSize(3);
            for (WebElement row : rows) {
                wait.until(d -> naturalWidth(row) > 0);
                assertThat(naturalWidth(row)).as("one row of 8 tiles").isEqualTo(8 * ConditionalTestModel.SIZE + 9 * ResponseFormat.GRID_PADDING);
            }
            assertThat(pixels(rows.get(0))).as("each class has its own images").isNotEqualTo(pixels(rows.get(2)));
        }
    }

    @Test
    void thePickersChooseModelVersionAndClassAndTheDownloadsHoldTheImagesShown() {
        try (ApiHarness api = new ApiHarness(ort)) {
            api.publish(TestModels.first(), 7);
            api.publish(TestModels.second(), 8);
            byte[] onnx = ConditionalTestModel.onnx();
            assertThat(api.registry.offer(ConditionalTestModel.manifest(onnx, 2), onnx, "test")).isEqualTo(OfferOutcome.APPLIED);
            driver.get(api.uri("/").toString());
            WebDriverWait wait = waitForPage();
            // Two models and no default: the page shows the first name, conditional-test, one row per class.
            wait.until(d -> info().startsWith(ConditionalTestModel.NAME + " v2"));
            assertThat(new Select(driver.findElement(By.id("model"))).getOptions()).extracting(WebElement::getText)
                    .containsExactly(ConditionalTestModel.NAME, TestModels.NAME);
            assertThat(captions()).containsExactly("0: circle", "1: square", "2: cross");

            new Select(driver.findElement(By.id("model"))).selectByValue(TestModels.NAME);
            wait.until(d -> info().startsWith(TestModels.NAME + " v8"));
            assertThat(driver.findElement(By.id("class-picker")).isDisplayed()).as("an unconditional model has no classes to pick").isFalse();
            assertThat(new Select(driver.findElement(By.id("version"))).getOptions()).extracting(WebElement::getText)
                    .containsExactly("live (v8)", "v8", "v7");
            new Select(driver.findElement(By.id("version"))).selectByValue("7");
            wait.until(d -> info().startsWith(TestModels.NAME + " v7"));
            assertThat(driver.findElements(By.cssSelector("#scores th"))).extracting(WebElement::getText)
                    .as("the scores recorded at export, from the model's manifest").containsExactly("loss_d", "loss_g");

            new Select(driver.findElement(By.id("model"))).selectByValue(ConditionalTestModel.NAME);
            wait.until(d -> info().startsWith(ConditionalTestModel.NAME + " v2"));
            new Select(driver.findElement(By.id("label"))).selectByVisibleText("square");
            wait.until(d -> captions().equals(List.of("1: square")));
            assertThat(driver.findElements(By.cssSelector("#samples img"))).hasSize(1);

            String zip = driver.findElement(By.id("download-zip")).getDomAttribute("href");
            assertThat(zip).startsWith("/v1/generate?format=zip").contains("model=" + ConditionalTestModel.NAME).contains("label=1");
            HttpResponse<byte[]> downloaded = api.get(zip);
            assertThat(downloaded.statusCode()).isEqualTo(200);
            assertThat(downloaded.headers().firstValue(GeneratorApi.MODEL_NAME_HEADER)).hasValue(ConditionalTestModel.NAME);
            assertThat(downloaded.headers().firstValue(GeneratorApi.LABEL_HEADER)).hasValue("1");
            assertThat(ZipEntries.of(downloaded.body())).hasSize(Integer.parseInt(driver.findElement(By.id("count")).getDomProperty("value")));
            String npy = driver.findElement(By.id("download-npy")).getDomAttribute("href");
            assertThat(api.get(npy).headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        }
    }

    /**
     * A wait that also rides out the gallery re-rendering its samples while a condition reads them (an element
     * found just before the page replaced it is stale): the condition is simply tried again.
     */
    private static WebDriverWait waitForPage() {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static List<String> captions() {
        return driver.findElements(By.cssSelector("#samples figcaption")).stream().map(WebElement::getText).toList();
    }

    /** The tests' model as version 7, or the one {@value #SCREENSHOT_MODEL_ENV} names when a screenshot is asked for. */
    private static void publishShownModel(ApiHarness api) throws IOException {
        String custom = System.getenv(SCREENSHOT_MODEL_ENV);
        if (custom == null || custom.isBlank() || System.getenv(SCREENSHOT_ENV) == null) {
            api.publish(TestModels.first(), 7);
            return;
        }
        byte[] onnx = Files.readAllBytes(Path.of(custom));
        OnnxGenerator.Signature signature = OnnxGenerator.inspect(ort, onnx);
        ModelManifest manifest = new ModelManifest(TestModels.NAME, 7, Hashes.sha256(onnx), 0, Instant.now(), signature.shape().toString(),
                signature.noiseDim(), Map.of());
        assertThat(api.registry.offer(manifest, onnx, custom)).isEqualTo(OfferOutcome.APPLIED);
    }

    private static void saveScreenshotIfAsked() throws IOException {
        String wanted = System.getenv(SCREENSHOT_ENV);
        if (wanted == null || wanted.isBlank()) {
            return;
        }
        // Tests run in the module directory; docs/ is at the repository root beside it.
        Path target = wanted.endsWith(".png") ? Path.of(wanted) : Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("gallery.png");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
