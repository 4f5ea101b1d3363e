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
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

/** A run with {@code --warm-up} sends the same load first and counts only what follows, against a SCIM API that counts too. */
class WarmUpTest {

    private final AtomicLong creates = new AtomicLong();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/scim/v2/Users", exchange -> {
            if ("POST".equals(exchange.getRequestMethod())) {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 201, "{\"id\":\"u-" + creates.incrementAndGet() + "\",\"userName\":\"x\"}");
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

    @Test
    void theWarmUpsRequestsAreSentButNotCounted(@TempDir Path out) throws Exception {
        Benchmark.Settings settings = new Benchmark.Settings(OperationMix.only("create"), null, 2, 2, 0, Duration.ofMillis(700),
                Duration.ofMillis(700), Duration.ofSeconds(5), 1000, 0, Duration.ofMillis(20), out);
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/scim/v2";
        StringWriter text = new StringWriter();

        new Benchmark(settings, line -> {
        }).run(new Benchmark.Target(baseUrl, null, null, List.of(new Tenant("t", "token")), null),
                new PrintWriter(text));

        JsonNode results = BenchJson.MAPPER.readTree(out.resolve("results.json").toFile());
        long measured = results.path("run").path("total").path("count").asLong();
        String warmUpNote = results.path("notes").valueStream().map(JsonNode::asString)
                .filter(note -> note.startsWith("warm-up (not counted above): ")).findFirst().orElseThrow();
        long warmedUp = Long.parseLong(warmUpNote.split(" ")[4]);
        assertThat(measured).isPositive();
        assertThat(warmedUp).isPositive();
        assertThat(creates.get()).isEqualTo(measured + warmedUp);
        assertThat(results.path("settings").path("warmUpSeconds").asDouble()).isEqualTo(0.7);
        assertThat(text.toString()).contains("closed loop, 2 in flight for 0.70 s, after 0.70 s of the same load unmeasured");
    }
}
