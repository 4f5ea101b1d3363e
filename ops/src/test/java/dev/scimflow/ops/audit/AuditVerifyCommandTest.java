package dev.scimflow.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.scimflow.ops.ScimflowCommand;
import picocli.CommandLine;

/**
 * {@code scimflow audit verify} asks the audit service to recompute the chains and turns its report into an
 * exit code. The audit service's side (the chain and its verification) is tested in audit-service; here a
 * small HTTP endpoint stands in for it, to pin what the command sends and how it reads the answer.
 */
class AuditVerifyCommandTest {

    private HttpServer server;
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final AtomicReference<String> query = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anIntactLogExitsZeroAndPrintsTheReport(@TempDir Path dir) throws Exception {
        String url = serve(200, "{\"intact\":true,\"tenants\":[{\"tenant\":\"acme\",\"intact\":true}]}");

        Result result = run(dir, "audit", "verify", "--data-dir", dir.toString(), "--tenant", "acme");

        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.out()).contains("\"intact\" : true");
        assertThat(authorization.get()).isEqualTo("Bearer op-token");
        assertThat(query.get()).isEqualTo("tenant=acme");
        assertThat(url).isNotBlank();
    }

    @Test
    void aBrokenChainExitsOne(@TempDir Path dir) throws Exception {
        serve(200, "{\"intact\":false,\"tenants\":[{\"tenant\":\"acme\",\"intact\":false,\"firstBroken\":{\"kind\":\"EDITED\"}}]}");

        Result result = run(dir, "audit", "verify", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("EDITED");
        assertThat(query.get()).isNull();
    }

    @Test
    void aRefusedTokenIsAClearError(@TempDir Path dir) throws Exception {
        serve(401, "{}");

        Result result = run(dir, "audit", "verify", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("answered 401");
    }

    @Test
    void withoutARunningStackItSaysSo(@TempDir Path dir) {
        Result result = run(dir, "audit", "verify", "--data-dir", dir.resolve("nothing").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no running stack");
    }

    private record Result(int exitCode, String out, String err) {
    }

    private String serve(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/chain/verify", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            query.set(exchange.getRequestURI().getQuery());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Result run(Path dir, String... args) {
        if (server != null) {
            writeStack(dir, "http://127.0.0.1:" + server.getAddress().getPort());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ScimflowCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static void writeStack(Path dir, String auditUrl) {
        try {
            java.nio.file.Files.writeString(dir.resolve("stack.json"), """
                    {"pid":1,"startedAt":"2026-01-01T00:00:00Z","dataDir":"%s","auditUrl":"%s","processes":[]}"""
                    .formatted(dir, auditUrl));
            java.nio.file.Files.writeString(dir.resolve("credentials.json"), """
                    {"auditToken":"op-token","tenants":{}}""");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
