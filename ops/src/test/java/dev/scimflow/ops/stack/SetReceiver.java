package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import dev.scimflow.ops.Json;
import tools.jackson.databind.JsonNode;

/**
 * A push receiver (RFC 8935) for stack tests: takes every SET with 202 and keeps its claims. Signatures are verified by
 * the events service's own tests; here what matters is that a change made through the stack reaches a subscriber.
 */
final class SetReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> claims = new CopyOnWriteArrayList<>();

    SetReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/events", exchange -> {
            String jwt = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            claims.add(Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    List<JsonNode> claims() {
        return List.copyOf(claims);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
