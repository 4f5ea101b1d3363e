package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Actor;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.ScimRequest;
import dev.scimflow.events.Topics;
import dev.scimflow.testing.TestInfrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every audit-service integration test shares: one running service against the real test broker and
 * its own PostgreSQL database, a producer that publishes to {@code scim.events} as the worker does, and an
 * HTTP client for the operator API. All subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RunningAuditService {

    static final String OPERATOR_TOKEN = "operator-" + UUID.randomUUID();
    static final TestInfrastructure.Database DATABASE = TestInfrastructure.newDatabase();
    /** A group of its own, so that no other test JVM's consumers share this one's partitions. */
    static final String CONSUMER_GROUP = "scimflow-audit-it-" + UUID.randomUUID();
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaProducer<String, byte[]> producer;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("spring.kafka.consumer.group-id", () -> CONSUMER_GROUP);
        registry.add("scimflow.audit.operator-token-sha256", () -> sha256Hex("another-operator") + "," + sha256Hex(OPERATOR_TOKEN));
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static RecordMetadata publish(String key, byte[] value) throws Exception {
        return publish(new ProducerRecord<>(Topics.EVENTS, key, value));
    }

    static synchronized RecordMetadata publish(ProducerRecord<String, byte[]> record) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        return producer.send(record).get();
    }

    static RecordMetadata publish(ScimEvent event) throws Exception {
        return publish(event.key(), EventCodec.encode(event));
    }

    /** Publishes a request log entry to {@code scim.requests} as the ingress does. */
    static RecordMetadata publish(ScimRequest request) throws Exception {
        return publish(new ProducerRecord<>(Topics.REQUESTS, request.tenant(), EventCodec.encode(request)));
    }

    @AfterAll
    static synchronized void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** A SCIM User snapshot as the worker publishes it. */
    static ObjectNode user(String id, String userName, boolean active, String displayName) {
        var user = EventCodec.mapper().createObjectNode()
                .put("id", id).put("userName", userName).put("active", active);
        if (displayName != null) {
            user.put("displayName", displayName);
        }
        user.putObject("name").put("givenName", "Given").put("familyName", "Family");
        user.putObject("meta").put("resourceType", "User").put("version", "W/\"1\"");
        return user;
    }

    static ScimEvent event(String tenant, String userId, EventType type, JsonNode before, JsonNode after) {
        return event(tenant, userId, type, before, after, "Okta SCIM Client", Instant.parse("2026-03-04T05:06:07Z"));
    }

    /** An event of this IdP client, accepted at {@code changedAt} and applied a second later. */
    static ScimEvent event(String tenant, String userId, EventType type, JsonNode before, JsonNode after,
                           String clientName, Instant changedAt) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), tenant, ResourceType.USER, userId, type, 2,
                before, after, new Actor("token-" + tenant, clientName), "req-" + UUID.randomUUID(),
                changedAt, changedAt.plusSeconds(1), ScimEvent.SCHEMA_VERSION);
    }

    /** Publishes the PATCH that deactivates this user, by this client at this time. */
    static ScimEvent deactivate(String tenant, String userId, String userName, String clientName, Instant changedAt) throws Exception {
        ScimEvent event = event(tenant, userId, EventType.PATCHED, user(userId, userName, true, null),
                user(userId, userName, false, null), clientName, changedAt);
        publish(event);
        return event;
    }

    static String uniqueTenant(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The operator API's answer as JSON, asked with the right operator token; fails on any status but 200. */
    JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery, "Bearer " + OPERATOR_TOKEN);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return EventCodec.mapper().readTree(response.body());
    }

    JsonNode deactivationsOf(String tenant) throws Exception {
        return api("/api/v1/deactivations?tenant=" + tenant).get("items");
    }

    JsonNode awaitDeactivations(String tenant, int count) {
        return await().atMost(PATIENCE).until(() -> deactivationsOf(tenant), items -> items.size() >= count);
    }

    /** The tenant's request log, newest first, once it holds at least {@code count} entries. */
    JsonNode awaitRequests(String tenant, int count) {
        return await().atMost(PATIENCE).until(() -> api("/api/v1/requests?tenant=" + tenant).get("items"),
                items -> items.size() >= count);
    }

    /** The chain verification of one tenant, as the API reports it. */
    JsonNode chainOf(String tenant) throws Exception {
        JsonNode verification = api("/api/v1/chain/verify?tenant=" + tenant);
        assertThat(verification.get("tenants")).hasSize(1);
        return verification.get("tenants").get(0);
    }
}
