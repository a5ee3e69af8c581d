package dev.ganpipe.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's {@code GET /openapi.json}, fetched from the running service, and what its real answers look like next
 * to it: the status is documented for the operation, the media type is one the document lists, documented headers
 * are there, and a JSON body is valid against the documented schema (JSON Schema 2020-12 with OpenAPI 3.1's
 * vocabulary, checked by networknt's json-schema-validator). The tests of each service call every endpoint through
 * {@link #call} and finish with {@link #assertEveryOperationWasCalled()}, so an undocumented answer or an endpoint
 * left out fails them.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Only a name: schemas are looked up in the fetched document, never loaded from it.
    private static final String DOCUMENT_IRI = "https://openapi.ganpipe.dev/openapi.json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final Set<String> called = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();

    private OpenApiContract(URI base, String documentText) throws IOException {
        this.base = base;
        this.document = JSON.readTree(documentText);
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(DOCUMENT_IRI, documentText)));
    }

    /** Fetches {@code /openapi.json} from the service at {@code base} (e.g. {@code http://127.0.0.1:8080}). */
    public static OpenApiContract of(URI base) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(OpenApiDocument.PATH)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as("GET /openapi.json").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as("GET /openapi.json's type").hasValue("application/json");
        OpenApiContract contract = new OpenApiContract(base, response.body());
        assertThat(contract.document.path("openapi").asText()).as("the OpenAPI version").startsWith("3.1.");
        assertThat(contract.document.path("info").path("title").asText()).as("info.title").isNotBlank();
        return contract;
    }

    /** Every documented operation, as {@code "GET /v1/status"}. */
    public Set<String> operations() {
        Set<String> result = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
                    result.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return result;
    }

    /**
     * Sends {@code request} to the operation {@code method template} (e.g. {@code GET /v1/models/{version}/activate})
     * and records whatever in its answer the document does not allow.
     *
     * @return the answer, for the caller's own assertions
     */
    public HttpResponse<byte[]> call(String template, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.build();
        HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        check(built.method() + " " + template, response);
        return response;
    }

    /**
     * GETs each of {@code paths} (fixed paths, no parameters: the endpoints every service has, such as {@code /healthz},
     * {@code /metrics} and {@code /openapi.json}) and records what the document does not allow, as {@link #call} does.
     */
    public void getEach(String... paths) throws IOException, InterruptedException {
        for (String path : paths) {
            call(path, request(path));
        }
    }

    /** A request to {@code pathAndQuery} on the service. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60));
    }

    private void check(String operationName, HttpResponse<byte[]> response) {
        called.add(operationName);
        String[] parts = operationName.split(" ", 2);
        JsonNode operation = document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
        String where = operationName + " -> " + response.statusCode();
        if (operation.isMissingNode()) {
            problems.add(operationName + " is not in the document");
            return;
        }
        String status = Integer.toString(response.statusCode());
        String documented = operation.path("responses").has(status) ? status : "default";
        // Where the response object really is: a $ref to components/responses is followed, so schemas resolve there.
        String pointer = follow("/paths/" + escape(parts[1]) + "/" + parts[0].toLowerCase(Locale.ROOT) + "/responses/" + documented);
        JsonNode answer = document.at(pointer);
        if (answer.isMissingNode()) {
            problems.add(where + ": the status is not documented, and the operation has no default response");
            return;
        }
        for (Map.Entry<String, JsonNode> header : answer.path("headers").properties()) {
            if (resolve(header.getValue()).path("required").asBoolean() && response.headers().firstValue(header.getKey()).isEmpty()) {
                problems.add(where + ": the required header " + header.getKey() + " is missing");
            }
        }
        if (response.body().length == 0 && !answer.has("content")) {
            return;
        }
        String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        if (!answer.path("content").has(type)) {
            problems.add(where + ": Content-Type " + type + " is not among the documented " + names(answer.path("content")));
            return;
        }
        if (type.equals("application/json") && answer.path("content").path(type).has("schema")) {
            validateJson(where, pointer + "/content/" + escape(type) + "/schema", response.body());
        }
    }

    private void validateJson(String where, String pointer, byte[] body) {
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (IOException e) {
            problems.add(where + ": the body is not JSON (" + e.getMessage() + ")");
            return;
        }
        Schema schema = schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer));
        for (Error error : schema.validate(value)) {
            problems.add(where + ": " + error);
        }
    }

    /** A header object, following a {@code $ref} into {@code components}. */
    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(follow(node.path("$ref").asText().substring(1))) : node;
    }

    /** The JSON pointer {@code pointer} ends at, once every local {@code $ref} on the way is followed. */
    private String follow(String pointer) {
        String current = pointer;
        for (int hops = 0; document.at(current).has("$ref") && hops < 8; hops++) {
            current = document.at(current).path("$ref").asText().substring(1);
        }
        return current;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every answer so far was one the document allows. */
    public void assertAnswersMatchTheDocument() {
        assertThat(problems).as("answers that /openapi.json does not describe").isEmpty();
    }

    /** Every documented operation was called, and every answer so far matched the document. */
    public void assertEveryOperationWasCalled() {
        assertAnswersMatchTheDocument();
        assertThat(called).as("operations called by this test").containsAll(operations());
    }
}
