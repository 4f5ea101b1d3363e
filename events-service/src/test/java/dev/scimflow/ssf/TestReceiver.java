package dev.scimflow.ssf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;

import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;

/**
 * A real SET receiver for tests: an HTTP server that verifies each SET's ES256 signature against the service's JWK set
 * (fetched again when it meets an unknown key id), records what it accepted in order, and answers as the test says —
 * 202, or 503 while "down", or a 400 for chosen SETs. It also verifies polled SETs.
 */
final class TestReceiver implements AutoCloseable {

    /** One accepted SET: its jti, its claims, and its compact form. */
    record ReceivedSet(String jti, JsonNode claims, String jwt) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String jwksUri;
    private final List<ReceivedSet> accepted = new ArrayList<>();
    private final List<String> attempted = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final Map<String, ECKey> keys = new LinkedHashMap<>();
    private volatile boolean down;
    private volatile Function<JsonNode, Integer> refuse = claims -> null;
    private HttpServer server;
    private int invalid;

    TestReceiver(String jwksUri) {
        this.jwksUri = jwksUri;
    }

    /** Starts listening; the endpoint is {@link #url()}. */
    TestReceiver start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", server == null ? 0 : server.getAddress().getPort()), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/events", exchange -> {
            String jwt = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            synchronized (this) {
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                JsonNode claims = verify(jwt);
                if (claims == null) {
                    status = 400;
                } else {
                    attempted.add(claims.get("jti").asString());
                    Integer refused = refuse.apply(claims);
                    status = down ? 503 : refused != null ? refused : 202;
                    if (status == 202) {
                        accepted.add(new ReceivedSet(claims.get("jti").asString(), claims, jwt));
                    }
                }
            }
            byte[] body = status == 400
                    ? "{\"err\":\"invalid_request\",\"description\":\"refused by the test\"}".getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    void down(boolean down) {
        this.down = down;
    }

    void refuseWhen(Function<JsonNode, Integer> refuse) {
        this.refuse = refuse;
    }

    synchronized List<ReceivedSet> accepted() {
        return List.copyOf(accepted);
    }

    /** The jtis of every POST with a valid signature, accepted or not, in order. */
    synchronized List<String> attempted() {
        return List.copyOf(attempted);
    }

    synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    synchronized int invalid() {
        return invalid;
    }

    /** The claims of a SET whose ES256 signature verifies against the JWK set, or null (counted as invalid). */
    synchronized JsonNode verify(String jwt) {
        try {
            JWSObject jws = JWSObject.parse(jwt);
            String kid = jws.getHeader().getKeyID();
            if (!keys.containsKey(kid)) {
                String json = HTTP.send(HttpRequest.newBuilder(URI.create(jwksUri)).build(), HttpResponse.BodyHandlers.ofString()).body();
                JWKSet.parse(json).getKeys().forEach(key -> keys.put(key.getKeyID(), key.toECKey()));
            }
            ECKey key = keys.get(kid);
            if (key == null || !"secevent+jwt".equals(jws.getHeader().getType().getType()) || !jws.verify(new ECDSAVerifier(key))) {
                invalid++;
                return null;
            }
            return EventCodec.mapper().readTree(jws.getPayload().toString());
        } catch (Exception e) {
            invalid++;
            return null;
        }
    }

    /** Stops listening, as a receiver that went away: POSTs to it fail to connect. */
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
