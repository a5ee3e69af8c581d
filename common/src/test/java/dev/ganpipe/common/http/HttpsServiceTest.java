package dev.ganpipe.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.metrics.MeterRegistries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on a service's port, checked with the JDK's HTTP client and a trust store made for the test. */
class HttpsServiceTest {

    @TempDir
    Path dir;

    @Test
    void aClientThatTrustsTheCertificateIsServedOverHttpsAndPlainHttpIsNotServed() throws Exception {
        Path keystore = TestKeystores.make(dir.resolve("server.p12"), "first");
        try (HttpService server = start(keystore);
             HttpClient client = HttpClient.newBuilder().sslContext(TestKeystores.trusting(List.of(keystore))).build()) {
            assertThat(server.tls()).isTrue();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(response.sslSession()).isPresent();

            try (HttpClient plain = HttpClient.newHttpClient()) {
                HttpRequest clear = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hello")).timeout(Duration.ofSeconds(10))
                        .build();
                assertThatThrownBy(() -> plain.send(clear, HttpResponse.BodyHandlers.ofString()).statusCode()).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aReplacedKeyStoreIsServedWithoutARestart() throws Exception {
        Path keystore = TestKeystores.make(dir.resolve("server.p12"), "first");
        Path renewed = TestKeystores.make(dir.resolve("renewed.p12"), "renewed");
        // Trusts both certificates, read before the file is replaced.
        SSLContext trustBoth = TestKeystores.trusting(List.of(keystore, renewed));
        try (HttpService server = start(keystore)) {
            assertThat(servedSubject(server, trustBoth)).contains("CN=first");
            Files.copy(renewed, keystore, StandardCopyOption.REPLACE_EXISTING);
            // A fresh client each time: a kept-alive connection keeps the certificate it began with.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> servedSubject(server, trustBoth).contains("CN=renewed"));
        }
    }

    private static String servedSubject(HttpService server, SSLContext trusted) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusted).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ((java.security.cert.X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
        }
    }

    private static HttpService start(Path keystore) {
        Routes routes = new Routes().get("/hello", r -> Response.text(200, "hello"));
        return HttpService.start(new HttpService.Options("https-test", "127.0.0.1", 0, routes, MeterRegistries.prometheus("https-test"), "test",
                HttpLimits.defaults(), HttpServerKind.JETTY, AccessLog.off(), Optional.empty())
                .with(new TlsSettings(keystore, TestKeystores.PASSWORD, Duration.ofSeconds(1))));
    }
}
