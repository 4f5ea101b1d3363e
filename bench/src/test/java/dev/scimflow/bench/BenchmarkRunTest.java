package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

/** Whole runs of the benchmark against a SCIM API that counts what it is sent and answers creates 201, or 503 when told. */
class BenchmarkRunTest {

    private final AtomicLong creates = new AtomicLong();
    private final AtomicLong patches = new AtomicLong();
    private final Map<String, Integer> answered = new ConcurrentHashMap<>();
    private volatile int unavailableEvery;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/scim/v2/Users", exchange -> {
            if ("POST".equals(exchange.getRequestMethod())) {
                exchange.getRequestBody().readAllBytes();
                long n = creates.incrementAndGet();
                boolean unavailable = unavailableEvery > 0 && n % unavailableEvery == 0;
                answered.put(exchange.getRequestHeaders().getFirst("X-Request-Id"), unavailable ? 503 : 201);
                answer(exchange, unavailable ? 503 : 201, unavailable ? "{}" : "{\"id\":\"u-" + n + "\",\"userName\":\"x\"}");
            } else if ("PATCH".equals(exchange.getRequestMethod())) {
                exchange.getRequestBody().readAllBytes();
                patches.incrementAndGet();
                answer(exchange, 200, "{\"id\":\"x\"}");
            } else {
                answer(exchange, 200, "{\"totalResults\":0,\"Resources\":[]}");
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/scim+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private JsonNode run(Duration warmUp, Path out, StringWriter text) throws Exception {
        return run(OperationMix.only("create"), 0, 2, warmUp, out, text);
    }

    private JsonNode run(OperationMix operations, long users, int inFlight, Duration warmUp, Path out, StringWriter text)
            throws Exception {
        Benchmark.Settings settings = new Benchmark.Settings(operations, null, inFlight, 2, users, warmUp,
                Duration.ofMillis(700), Duration.ofSeconds(5), 1000, 0, Duration.ofMillis(20), out);
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/scim/v2";
        new Benchmark(settings, line -> {
        }).run(new Benchmark.Target(baseUrl, null, null, List.of(new Tenant("t", "token")), null), new PrintWriter(text));
        return BenchJson.MAPPER.readTree(out.resolve("results.json").toFile());
    }

    private static List<String> notes(JsonNode results) {
        return results.path("notes").valueStream().map(JsonNode::asString).toList();
    }

    @Test
    void theWarmUpsRequestsAreSentButNotCounted(@TempDir Path out) throws Exception {
        StringWriter text = new StringWriter();

        JsonNode results = run(Duration.ofMillis(700), out, text);

        long measured = results.path("run").path("total").path("count").asLong();
        String warmUpNote = notes(results).stream().filter(note -> note.startsWith("warm-up (not counted above): ")).findFirst()
                .orElseThrow();
        long warmedUp = Long.parseLong(warmUpNote.split(" ")[4]);
        assertThat(measured).isPositive();
        assertThat(warmedUp).isPositive();
        assertThat(creates.get()).isEqualTo(measured + warmedUp);
        assertThat(results.path("settings").path("warmUpSeconds").asDouble()).isEqualTo(0.7);
        assertThat(text.toString()).contains("closed loop, 2 in flight for 0.70 s, after 0.70 s of the same load unmeasured");
    }

    @Test
    void theRequestIdsOfFailedRequestsAreNamedSoThatTheStackCanBeAskedAboutThem(@TempDir Path out) throws Exception {
        unavailableEvery = 3;

        JsonNode results = run(Duration.ZERO, out, new StringWriter());

        String note = notes(results).stream().filter(text -> text.startsWith("create 503: request ids ")).findFirst().orElseThrow();
        List<String> named = List.of(note.substring("create 503: request ids ".length()).split(" \\(")[0].replace(", ...", "").split(", "));
        assertThat(named).hasSizeBetween(1, OperationStats.FAILED_REQUEST_IDS).allSatisfy(id -> {
            assertThat(id).startsWith("bench-");
            assertThat(answered).as("what the server answered the request with that X-Request-Id").containsEntry(id, 503);
        });
        assertThat(answered.values()).contains(201);
        assertThat(answered.keySet()).as("every request has an id of its own").hasSize((int) creates.get());
    }

    @Test
    void deactivationsOfUsersAlreadyInactiveAreCountedAsChangingNothing(@TempDir Path out) throws Exception {
        JsonNode results = run(OperationMix.only("deactivate"), 3, 1, Duration.ZERO, out, new StringWriter());

        long deactivations = results.path("run").path("total").path("count").asLong();
        assertThat(deactivations).isEqualTo(patches.get()).isGreaterThan(3);
        String note = notes(results).stream().filter(text -> text.startsWith("deactivate: ")).findFirst().orElseThrow();
        long unchanged = Long.parseLong(note.split(" ")[1]);
        // three users, one request at a time: at most three deactivations found their user active, and at least one did
        assertThat(deactivations - unchanged).isBetween(1L, 3L);
        assertThat(note).contains("of the " + deactivations + " answered were sent to users already in that state");
    }
}
