package dev.scimflow.worker;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.testing.TestInfrastructure;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * What the worker's integration tests share: changes published to {@code scim.changes} as the ingress publishes them,
 * readers of {@code scim.outcomes} and {@code scim.events}, and a tenant of its own for each test. Each subclass
 * declares its own {@code @DynamicPropertySource}, and so runs against a database of its own.
 */
abstract class WorkerIntegrationTest {

    static KafkaProducer<String, byte[]> producer;
    static TopicReader outcomes;
    static TopicReader events;

    @Autowired
    DataSource dataSource;

    String tenant;

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        outcomes = new TopicReader(Topics.OUTCOMES);
        events = new TopicReader(Topics.EVENTS);
    }

    @AfterAll
    static void closeClients() {
        producer.close();
        outcomes.close();
        events.close();
    }

    @BeforeEach
    void tenant() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        new TenantTokens(dataSource).createTenant(tenant);
    }

    ScimChange change(ResourceType type, String id, ChangeOperation operation, JsonNode body) {
        return new ScimChange(UUID.randomUUID(), tenant, type, id, operation, body, null,
                new Actor("tok_test", "test"), "req-" + UUID.randomUUID(), now(), ScimChange.SCHEMA_VERSION);
    }

    /** Publishes the change and waits for its outcome. */
    ChangeOutcome apply(ScimChange change) {
        publish(change);
        return await().atMost(Duration.ofSeconds(30)).until(() -> outcomesOf(change.changeId()), list -> !list.isEmpty()).get(0);
    }

    void publish(ScimChange change) {
        producer.send(new ProducerRecord<>(Topics.CHANGES, change.key(), EventCodec.encode(change)));
        producer.flush();
    }

    List<ChangeOutcome> outcomesOf(UUID changeId) {
        return outcomes.records(r -> changeId.toString().equals(r.key())).stream().map(r -> EventCodec.outcome(r.value())).toList();
    }

    List<ScimEvent> eventsOf(String id) {
        String key = Topics.resourceKey(tenant, id);
        return events.records(r -> key.equals(r.key())).stream().map(r -> EventCodec.event(r.value())).toList();
    }

    List<ScimEvent> awaitEvents(String id, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(id), list -> list.size() >= count);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
