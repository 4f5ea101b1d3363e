package dev.scimflow.ssf;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.OutcomeHeaders;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.UserStoreSchema;
import dev.scimflow.testing.TestInfrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the events-service integration tests share: one running service (one application context for all of them) on
 * the real test broker and a database of its own with the user store's tenants and tokens, a producer that publishes to
 * {@code scim.events} as the worker does, and an HTTP client for the SSF endpoints.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scimflow.events.issuer=http://events.test",
        "scimflow.events.supervisor-interval=200ms",
        "scimflow.events.push.initial-backoff=100ms",
        "scimflow.events.push.max-backoff=400ms",
        "scimflow.events.poll.long-poll-timeout=3s",
        "scimflow.events.keys.reload-interval=500ms"})
abstract class RunningEventsService {

    static final TestInfrastructure.Database DATABASE = TestInfrastructure.newDatabase();
    static final SimpleDriverDataSource DATA_SOURCE = new SimpleDriverDataSource(new org.postgresql.Driver(), DATABASE.jdbcUrl(),
            DATABASE.username(), DATABASE.password());
    static final JdbcClient JDBC = JdbcClient.create(DATA_SOURCE);
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaProducer<String, byte[]> producer;

    static {
        UserStoreSchema.migrate(DATA_SOURCE);
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
    }

    /** A new tenant and its SCIM token. */
    record Tenant(String name, String token) {
    }

    static Tenant newTenant() {
        TenantTokens tokens = new TenantTokens(DATA_SOURCE);
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(name);
        return new Tenant(name, tokens.issue(name, "events-test").token());
    }

    static void publish(ScimEvent event) {
        send(Topics.EVENTS, event.key(), EventCodec.encode(event));
    }

    /** Publishes an outcome to {@code scim.outcomes} as the worker does, with its headers. */
    static void publish(ChangeOutcome outcome) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OUTCOMES, outcome.changeId().toString(),
                EventCodec.encode(outcome));
        OutcomeHeaders.write(outcome, 0, record.headers());
        send(record);
    }

    /** Publishes an outcome as a worker did before outcomes had headers. */
    static void publishWithoutHeaders(ChangeOutcome outcome) {
        send(Topics.OUTCOMES, outcome.changeId().toString(), EventCodec.encode(outcome));
    }

    private static void send(String topic, String key, byte[] value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    private static synchronized void send(ProducerRecord<String, byte[]> record) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
                    new ByteArraySerializer());
        }
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode user(String id, String userName, boolean active, int version) {
        ObjectNode user = EventCodec.mapper().createObjectNode().put("id", id).put("userName", userName).put("active", active)
                .put("externalId", "ext-" + userName);
        user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
        user.putObject("meta").put("resourceType", "User").put("version", "W/\"" + version + "\"");
        return user;
    }

    /** A user event as the worker publishes it: version, before/after, a change id of its own, applied now. */
    static ScimEvent userEvent(String tenant, String userId, EventType type, long version, JsonNode before, JsonNode after) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID changeId = UUID.randomUUID();
        return new ScimEvent(UUID.nameUUIDFromBytes((changeId + ":" + type).getBytes()), changeId, tenant, ResourceType.USER,
                userId, type, version, before, after, new Actor("tok_test", "test"), "req-" + changeId, now, now,
                ScimEvent.SCHEMA_VERSION);
    }

    HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(String method, String path, String token, String body, int expectedStatus) {
        HttpResponse<String> response = call(method, path, token, body);
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? null : EventCodec.mapper().readTree(response.body());
    }

    String jwksUri() {
        return "http://127.0.0.1:" + port + "/ssf/jwks";
    }

    /** Creates a push stream to this receiver and returns its id. */
    String pushStream(Tenant tenant, TestReceiver receiver, String eventsRequested) {
        return json("POST", "/ssf/streams", tenant.token(), """
                {"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"%s","authorization_header":"Bearer receiver-secret"},
                 "events_requested":%s}""".formatted(receiver.url(), eventsRequested), 201).get("stream_id").asString();
    }

    /** Waits until the push deliveries hold the stream (its reader is positioned), so what is published next is its. */
    void awaitDelivering(String streamId, TestReceiver receiver, Tenant tenant) {
        json("POST", "/ssf/verify", tenant.token(), "{\"stream_id\":\"%s\",\"state\":\"ready\"}".formatted(streamId), 204);
        await().atMost(PATIENCE).until(() -> receiver.accepted().stream()
                .anyMatch(set -> set.claims().path("events").has("https://schemas.openid.net/secevent/ssf/event-type/verification")));
    }
}
