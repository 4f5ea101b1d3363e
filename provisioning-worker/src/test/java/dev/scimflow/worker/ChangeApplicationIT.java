package dev.scimflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.OutcomeHeaders;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.events.TraceParent;
import dev.scimflow.store.WalPositions;
import dev.scimflow.testing.TestInfrastructure;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * The worker against a real broker and a real PostgreSQL: changes published to {@code scim.changes} are
 * applied once, their facts reach {@code scim.events} and their outcomes {@code scim.outcomes}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChangeApplicationIT extends WorkerIntegrationTest {

    @Autowired
    ChangeListener listener;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.registerNewDatabaseAndBroker(registry);
    }

    @Test
    void createIsAppliedAndAnsweredWith201AndTheResource() {
        String id = UUID.randomUUID().toString();
        WalPositions wal = new WalPositions(dataSource);
        long before = wal.current();
        ChangeOutcome outcome = apply(change(id, ChangeOperation.CREATE, user("alice@example.com")));

        assertThat(outcome.status()).isEqualTo(201);
        assertThat(outcome.resource().get("id").asString()).isEqualTo(id);
        assertThat(outcome.resource().get("userName").asString()).isEqualTo("alice@example.com");
        assertThat(outcome.resource().at("/meta/version").asString()).isEqualTo("W/\"1\"");
        assertThat(userCount(id)).isEqualTo(1);
        var published = outcomes.records(r -> outcome.changeId().toString().equals(r.key())).get(0);
        assertThat(OutcomeHeaders.tenant(published.headers())).isEqualTo(tenant);
        assertThat(OutcomeHeaders.commitLsn(published.headers())).as("the commit's WAL position, read after it").isPresent();
        assertThat(OutcomeHeaders.commitLsn(published.headers()).getAsLong()).isGreaterThan(before).isLessThanOrEqualTo(wal.current());
        assertThat(OutcomeHeaders.respondAsync(published.headers())).as("a synchronous request's").contains(false);
        ScimEvent created = awaitEvents(id, 1).get(0);
        assertThat(created.type()).isEqualTo(EventType.CREATED);
        assertThat(created.before()).isNull();
        assertThat(created.after().get("userName").asString()).isEqualTo("alice@example.com");
    }

    @Test
    void theSameChangeDeliveredTwiceIsAppliedOnceAndAnsweredTwiceAlike() {
        String id = UUID.randomUUID().toString();
        ScimChange create = change(id, ChangeOperation.CREATE, user("bob@example.com"));
        ChangeOutcome first = apply(create);
        publish(create);

        await().untilAsserted(() -> assertThat(outcomesOf(create.changeId())).hasSize(2));
        assertThat(outcomesOf(create.changeId()).get(1)).isEqualTo(first);
        assertThat(userCount(id)).isEqualTo(1);
        assertThat(JdbcClient.create(dataSource).sql("select version from scim.users where id = ?").param(id)
                .query(Long.class).single()).isEqualTo(1L);
        // a later change of the same user marks the end: its fact follows every fact of the redelivered create
        apply(change(id, ChangeOperation.PATCH, json("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"displayName","value":"Bob"}]}""")));
        assertThat(awaitEvents(id, 2)).extracting(ScimEvent::type).containsExactly(EventType.CREATED, EventType.PATCHED);
    }

    @Test
    void aBatchThatFailsIsAppliedOneChangeAtATimeSoOnlyItsPoisonChangeFailsAndNoOtherIsLostOrDoubled() {
        List<ScimChange> changes = List.of(
                change(UUID.randomUUID().toString(), ChangeOperation.CREATE, user("p1@example.com")),
                change(UUID.randomUUID().toString(), ChangeOperation.CREATE, user("p2@example.com")),
                poison(UUID.randomUUID().toString()),
                change(UUID.randomUUID().toString(), ChangeOperation.CREATE, user("p3@example.com")));
        List<ConsumerRecord<String, byte[]>> poll = records(changes);

        BatchListenerFailedException failed = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onChanges(poll));

        assertThat(failed.getIndex()).isEqualTo(2);
        assertThat(userCount(changes.get(0).resourceId()) + userCount(changes.get(1).resourceId())).isEqualTo(2);
        assertThat(userCount(changes.get(3).resourceId())).isZero();
        // the error handler re-delivers from the poison change on; it fails alone, the one after it applies
        assertThat(catchThrowableOfType(BatchListenerFailedException.class, () -> listener.onChanges(poll.subList(2, 4))).getIndex())
                .isZero();
        listener.onChanges(poll.subList(3, 4));
        // and a redelivery of the whole poll (rewound offsets) applies nothing twice
        listener.onChanges(List.of(poll.get(0), poll.get(1), poll.get(3)));

        for (ScimChange good : List.of(changes.get(0), changes.get(1), changes.get(3))) {
            assertThat(userCount(good.resourceId())).isEqualTo(1);
            assertThat(appliedCount(good)).isEqualTo(1);
        }
        assertThat(appliedCount(changes.get(2))).isZero();
    }

    @Test
    void aPoisonChangeAmongOthersInOnePollIsDeadLetteredAndEveryOtherIsAppliedAndAnsweredOnce() {
        List<ScimChange> changes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            changes.add(change(UUID.randomUUID().toString(), ChangeOperation.CREATE, user("q" + i + "@example.com")));
        }
        ScimChange poison = poison(UUID.randomUUID().toString());
        changes.add(3, poison);
        MessageListenerContainer container = listeners.getListenerContainers().iterator().next();
        try (TopicReader deadLetters = new TopicReader(Topics.CHANGES_DLT)) {
            container.stop();
            changes.forEach(this::publish);
            container.start();

            await().untilAsserted(() -> assertThat(deadLetters.records(r -> poison.key().equals(r.key()))).hasSize(1));
            for (ScimChange good : changes.stream().filter(change -> change != poison).toList()) {
                await().untilAsserted(() -> assertThat(outcomesOf(good.changeId())).hasSize(1));
                assertThat(outcomesOf(good.changeId()).get(0).status()).isEqualTo(201);
                assertThat(userCount(good.resourceId())).isEqualTo(1);
                assertThat(awaitEvents(good.resourceId(), 1)).hasSize(1);
            }
            assertThat(outcomesOf(poison.changeId())).isEmpty();
        }
    }

    @Test
    void deactivationByPatchBumpsTheVersionAndPublishesADeactivatingFact() {
        String id = UUID.randomUUID().toString();
        apply(change(id, ChangeOperation.CREATE, user("carol@example.com")));
        ChangeOutcome patched = apply(change(id, ChangeOperation.PATCH, json("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"active":false}}]}""")));

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.resource().get("active").asBoolean()).isFalse();
        assertThat(patched.version()).isEqualTo(2);
        await().untilAsserted(() -> assertThat(awaitEvents(id, 1)).hasSize(2));
        ScimEvent fact = awaitEvents(id, 1).get(1);
        assertThat(fact.type()).isEqualTo(EventType.PATCHED);
        assertThat(fact.deactivates()).isTrue();
        assertThat(fact.version()).isEqualTo(2);
    }

    @Test
    void aChangesFactsContinueItsTraceFromTheApplySpanThroughTheOutbox() {
        String id = UUID.randomUUID().toString();
        ScimChange create = change(id, ChangeOperation.CREATE, user("traced@example.com"));
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String ingressSpanId = "00f067aa0ba902b7";
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CHANGES, create.key(), EventCodec.encode(create));
        record.headers().add(TraceParent.HEADER, ("00-" + traceId + "-" + ingressSpanId + "-00").getBytes(StandardCharsets.UTF_8));
        producer.send(record);
        producer.flush();

        String key = Topics.resourceKey(tenant, id);
        ConsumerRecord<String, byte[]> fact = await().atMost(Duration.ofSeconds(30))
                .until(() -> events.records(r -> key.equals(r.key())), list -> !list.isEmpty()).get(0);
        String traceparent = TraceParent.of(fact.headers());
        assertThat(TraceParent.traceId(traceparent)).isEqualTo(traceId);
        // the child of the ingress's span: the worker's apply span, not the ingress's own
        assertThat(traceparent).doesNotContain(ingressSpanId).matches("00-" + traceId + "-[0-9a-f]{16}-00");
    }

    @Test
    void aSecondUserWithTheSameUserNameInAnyCaseIsAConflict() {
        apply(change(UUID.randomUUID().toString(), ChangeOperation.CREATE, user("dave@example.com")));
        String second = UUID.randomUUID().toString();
        ChangeOutcome outcome = apply(change(second, ChangeOperation.CREATE, user("DAVE@example.com")));

        assertThat(outcome.status()).isEqualTo(409);
        assertThat(outcome.scimType()).isEqualTo("uniqueness");
        assertThat(userCount(second)).isZero();
    }

    @Test
    void aUserThatKeepsItsUserNameInABatchStillHoldsItAgainstACreateAndARenameOfTheSameBatch() {
        String kept = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        apply(change(kept, ChangeOperation.CREATE, user("gina@example.com")));
        apply(change(other, ChangeOperation.CREATE, user("hank@example.com")));
        String newcomer = UUID.randomUUID().toString();
        List<ScimChange> batch = List.of(
                change(kept, ChangeOperation.PATCH, json("""
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","value":{"active":false}}]}""")),
                change(newcomer, ChangeOperation.CREATE, user("GINA@example.com")),
                change(other, ChangeOperation.PATCH, json("""
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","path":"userName","value":"Gina@Example.com"}]}""")));

        listener.onChanges(records(batch));

        List<Integer> statuses = batch.stream()
                .map(change -> await().until(() -> outcomesOf(change.changeId()), list -> !list.isEmpty()).get(0).status())
                .toList();
        assertThat(statuses).containsExactly(200, 409, 409);
        assertThat(userCount(newcomer)).isZero();
    }

    @Test
    void changesToAnUnknownUserAreNotFound() {
        ChangeOutcome outcome = apply(change(UUID.randomUUID().toString(), ChangeOperation.DELETE, null));

        assertThat(outcome.status()).isEqualTo(404);
    }

    @Test
    void aStaleIfMatchIsAPreconditionFailureAndChangesNothing() {
        String id = UUID.randomUUID().toString();
        apply(change(id, ChangeOperation.CREATE, user("erin@example.com")));
        ScimChange stale = new ScimChange(UUID.randomUUID(), tenant, ResourceType.USER, id, ChangeOperation.DELETE, null,
                "W/\"7\"", new Actor("tok_test", "test"), "req-1", now(), ScimChange.SCHEMA_VERSION);

        assertThat(apply(stale).status()).isEqualTo(412);
        assertThat(userCount(id)).isEqualTo(1);
    }

    @Test
    void deleteRemovesTheUserAndPublishesTheLastStateAsBefore() {
        String id = UUID.randomUUID().toString();
        apply(change(id, ChangeOperation.CREATE, user("frank@example.com")));
        ChangeOutcome deleted = apply(change(id, ChangeOperation.DELETE, null));

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(userCount(id)).isZero();
        await().untilAsserted(() -> assertThat(awaitEvents(id, 1)).hasSize(2));
        ScimEvent fact = awaitEvents(id, 1).get(1);
        assertThat(fact.type()).isEqualTo(EventType.DELETED);
        assertThat(fact.after()).isNull();
        assertThat(fact.before().get("userName").asString()).isEqualTo("frank@example.com");
        assertThat(fact.deactivates()).isTrue();
    }

    @Test
    void anUndecodableChangeGoesToTheDeadLetterTopicAndDoesNotBlockItsPartition() {
        String id = UUID.randomUUID().toString();
        String key = Topics.resourceKey(tenant, id);
        try (TopicReader deadLetters = new TopicReader(Topics.CHANGES_DLT)) {
            producer.send(new ProducerRecord<>(Topics.CHANGES, key, "{not json".getBytes()));
            ChangeOutcome created = apply(change(id, ChangeOperation.CREATE, user("grace@example.com")));

            assertThat(created.status()).isEqualTo(201);
            await().untilAsserted(() -> assertThat(deadLetters.records(r -> key.equals(r.key()))).hasSize(1));
        }
    }

    @Test
    void aChangeWhoseDataTheDatabaseRefusesGoesToTheDeadLetterTopicWithoutRetries() {
        // the ingress refuses U+0000 (400); a change that reaches the worker anyway (an older ingress, a redrive) holds
        // data PostgreSQL cannot store: SQLSTATE class 22, poison at once
        String id = UUID.randomUUID().toString();
        String key = Topics.resourceKey(tenant, id);
        try (TopicReader deadLetters = new TopicReader(Topics.CHANGES_DLT)) {
            publish(change(id, ChangeOperation.CREATE, user("nul\\u0000@example.com")));

            var deadLetter = await().until(() -> deadLetters.records(r -> key.equals(r.key())), list -> !list.isEmpty()).get(0);
            var exception = deadLetter.headers().lastHeader("kafka_dlt-exception-cause-fqcn");
            assertThat(exception).isNotNull();
            assertThat(userCount(id)).isZero();
        }
    }

    /** A change that decodes but can never be applied: it lacks the time the ingress accepted it. */
    private ScimChange poison(String id) {
        return new ScimChange(UUID.randomUUID(), tenant, ResourceType.USER, id, ChangeOperation.CREATE, user(id + "@poison.example"), null,
                new Actor("tok_test", "test"), "req-poison", null, ScimChange.SCHEMA_VERSION);
    }

    private static List<ConsumerRecord<String, byte[]>> records(List<ScimChange> changes) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            records.add(new ConsumerRecord<>(Topics.CHANGES, 0, 1_000_000L + i, changes.get(i).key(), EventCodec.encode(changes.get(i))));
        }
        return records;
    }

    private long appliedCount(ScimChange change) {
        return JdbcClient.create(dataSource).sql("select count(*) from scim.applied_changes where change_id = ?")
                .param(change.changeId()).query(Long.class).single();
    }

    private long userCount(String id) {
        return JdbcClient.create(dataSource).sql("select count(*) from scim.users where tenant_id = ? and id = ?")
                .params(tenant, id).query(Long.class).single();
    }

    private ScimChange change(String id, ChangeOperation operation, JsonNode body) {
        return change(ResourceType.USER, id, operation, body);
    }

    private static JsonNode user(String userName) {
        return json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                 "name":{"givenName":"Test","familyName":"User"},"active":true}""".formatted(userName));
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }

}
