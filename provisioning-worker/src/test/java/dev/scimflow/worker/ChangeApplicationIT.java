package dev.scimflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.testing.TestInfrastructure;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * The worker against a real broker and a real PostgreSQL: changes published to {@code scim.changes} are
 * applied once, their facts reach {@code scim.events} and their outcomes {@code scim.outcomes}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChangeApplicationIT extends WorkerIntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.registerNewDatabaseAndBroker(registry);
    }

    @Test
    void createIsAppliedAndAnsweredWith201AndTheResource() {
        String id = UUID.randomUUID().toString();
        ChangeOutcome outcome = apply(change(id, ChangeOperation.CREATE, user("alice@example.com")));

        assertThat(outcome.status()).isEqualTo(201);
        assertThat(outcome.resource().get("id").asString()).isEqualTo(id);
        assertThat(outcome.resource().get("userName").asString()).isEqualTo("alice@example.com");
        assertThat(outcome.resource().at("/meta/version").asString()).isEqualTo("W/\"1\"");
        assertThat(userCount(id)).isEqualTo(1);
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
        assertThat(awaitEvents(id, 1)).hasSize(1);
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
    void aSecondUserWithTheSameUserNameInAnyCaseIsAConflict() {
        apply(change(UUID.randomUUID().toString(), ChangeOperation.CREATE, user("dave@example.com")));
        String second = UUID.randomUUID().toString();
        ChangeOutcome outcome = apply(change(second, ChangeOperation.CREATE, user("DAVE@example.com")));

        assertThat(outcome.status()).isEqualTo(409);
        assertThat(outcome.scimType()).isEqualTo("uniqueness");
        assertThat(userCount(second)).isZero();
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
