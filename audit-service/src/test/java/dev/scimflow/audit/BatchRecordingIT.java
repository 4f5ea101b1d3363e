package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.transaction.support.TransactionTemplate;

import dev.scimflow.audit.chain.ChainHead;
import dev.scimflow.audit.chain.TenantChain;
import dev.scimflow.audit.retention.AuditRetention;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventHeaders;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.testing.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * The listener takes scim.events a poll at a time and records each poll in one transaction, with the outcome a
 * record-by-record consumer would have had: events passed over by their headers without being decoded, deactivations
 * of several tenants chained in arrival order, redeliveries recorded once, what retention removed left out, and a
 * record the database rejects isolated from the rest of its batch. Each test publishes its records to one partition while the listener is stopped, so that
 * they reach it in one poll.
 */
@ExtendWith(OutputCaptureExtension.class)
class BatchRecordingIT extends RunningAuditService {

    private static final int PARTITION = 0;
    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2021-01-01T00:00:00Z");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    TenantChain chain;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    AuditRetention retention;

    @Test
    void aBatchOfSeveralTenantsIsRecordedInOneTransactionOncePerEventWithEachTenantsRecordsInArrivalOrder() throws Exception {
        String acme = uniqueTenant("batch-acme");
        String globex = uniqueTenant("batch-globex");
        String initech = uniqueTenant("batch-initech");
        ScimEvent recordedBefore = deactivation(acme, "a-0");
        publish(withHeaders(recordedBefore));
        awaitDeactivations(acme, 1);

        ScimEvent acmeDeactivated = deactivation(acme, "a-1");
        ScimEvent globexByAnOlderWorker = deactivation(globex, "g-1");
        ScimEvent initechDeleted = event(initech, "i-1", EventType.DELETED, user("i-1", "ian", true, null), null);
        ScimEvent acmeReactivated = event(acme, "a-1", EventType.PATCHED, user("a-1", "a-1", false, null), user("a-1", "a-1", true, null));
        ScimEvent initechDeactivated = deactivation(initech, "i-2");
        publishAsOneBatch(List.of(
                withHeaders(acmeDeactivated),
                withHeaders(event(globex, "g-1", EventType.CREATED, null, user("g-1", "gil", true, null))),
                withoutHeaders(globexByAnOlderWorker),
                withHeaders(event(acme, "a-2", EventType.PATCHED, user("a-2", "al", true, "Al"), user("a-2", "al", true, "Alan"))),
                withHeaders(initechDeleted),
                withHeaders(recordedBefore),
                withHeaders(acmeReactivated),
                withHeaders(acmeDeactivated),
                withHeaders(initechDeactivated)));

        awaitDeactivations(acme, 3);
        awaitDeactivations(globex, 1);
        awaitDeactivations(initech, 2);
        assertThat(chainOrder(acme)).containsExactly(recordedBefore.eventId().toString(), acmeDeactivated.eventId().toString(),
                acmeReactivated.eventId().toString());
        assertThat(chainOrder(globex)).containsExactly(globexByAnOlderWorker.eventId().toString());
        assertThat(chainOrder(initech)).containsExactly(initechDeleted.eventId().toString(), initechDeactivated.eventId().toString());
        for (String tenant : List.of(acme, globex, initech)) {
            assertThat(chainOf(tenant).get("intact").asBoolean()).as(tenant).isTrue();
        }
        assertThat(jdbc.sql("select count(distinct xmin::text) from audit.deactivations where tenant in (:tenants) and event_id <> :before")
                .param("tenants", List.of(acme, globex, initech)).param("before", recordedBefore.eventId())
                .query(Long.class).single())
                .as("the batch's five new records were written by one transaction").isEqualTo(1);
    }

    @Test
    void aRecordWhoseHeadersSayNoTransitionIsNotDecodedWhileOneWithoutHeadersIsDecodedAsBefore(CapturedOutput output) throws Exception {
        String tenant = uniqueTenant("headers");
        String key = Topics.resourceKey(tenant, "h-1");
        var passedOver = new ProducerRecord<String, byte[]>(Topics.EVENTS, PARTITION, key, "{garbage".getBytes(StandardCharsets.UTF_8));
        passedOver.headers().add(EventHeaders.TYPE, "PATCHED".getBytes(StandardCharsets.UTF_8))
                .add(EventHeaders.RESOURCE_TYPE, "USER".getBytes(StandardCharsets.UTF_8));
        var undecodable = new ProducerRecord<String, byte[]>(Topics.EVENTS, PARTITION, key, "{garbage".getBytes(StandardCharsets.UTF_8));
        var claimedTransition = new ProducerRecord<String, byte[]>(Topics.EVENTS, PARTITION, key,
                "{garbage".getBytes(StandardCharsets.UTF_8));
        claimedTransition.headers().add(EventHeaders.TYPE, "PATCHED".getBytes(StandardCharsets.UTF_8))
                .add(EventHeaders.RESOURCE_TYPE, "USER".getBytes(StandardCharsets.UTF_8))
                .add(EventHeaders.ACTIVE_TRANSITION, EventHeaders.DEACTIVATED.getBytes(StandardCharsets.UTF_8));
        // headers that name a transition are checked against the event itself: a rename is not recorded
        ScimEvent renamed = event(tenant, "h-1", EventType.PATCHED, user("h-1", "hu", true, "Hu"), user("h-1", "hu", true, "Hugh"));
        var misnamed = withoutHeaders(renamed);
        misnamed.headers().add(EventHeaders.TYPE, "PATCHED".getBytes(StandardCharsets.UTF_8))
                .add(EventHeaders.ACTIVE_TRANSITION, EventHeaders.DEACTIVATED.getBytes(StandardCharsets.UTF_8));
        ScimEvent marker = deactivation(tenant, "h-1");
        List<RecordMetadata> published = publishAsOneBatch(List.of(passedOver, undecodable, claimedTransition, misnamed,
                withHeaders(marker)));

        assertThat(awaitDeactivations(tenant, 1)).extracting(item -> item.get("eventId").asString())
                .containsExactly(marker.eventId().toString());
        assertThat(output.getOut())
                .as("garbage without headers is undecodable, as before").contains(skipped(published.get(1)))
                .as("garbage said to be a transition is decoded, and undecodable").contains(skipped(published.get(2)))
                .as("garbage said to be no transition is never decoded").doesNotContain(skipped(published.get(0)));
    }

    @Test
    void aRecordTheDatabaseRejectsIsSkippedWithoutLosingOrDoublingTheOthersOfItsBatch(CapturedOutput output) throws Exception {
        String acme = uniqueTenant("poison-acme");
        String globex = uniqueTenant("poison-globex");
        ScimEvent a1 = deactivation(acme, "a-1");
        ScimEvent g1 = deactivation(globex, "g-1");
        // PostgreSQL cannot store a NUL character in text or jsonb: this row is rejected however often it is tried
        ScimEvent poison = event(acme, "a-x", EventType.PATCHED, user("a-x", "nul\u0000name", true, null),
                user("a-x", "nul\u0000name", false, null));
        ScimEvent a2 = deactivation(acme, "a-2");
        ScimEvent g2 = deactivation(globex, "g-2");
        List<RecordMetadata> published = publishAsOneBatch(List.of(withHeaders(a1), withHeaders(g1), withHeaders(poison),
                withHeaders(a2), withHeaders(event(globex, "g-3", EventType.CREATED, null, user("g-3", "g3", true, null))),
                withHeaders(g2)));

        await().atMost(PATIENCE).until(() -> output.getOut().contains(skipped(published.get(2))));
        awaitDeactivations(acme, 2);
        awaitDeactivations(globex, 2);
        assertThat(chainOrder(acme)).containsExactly(a1.eventId().toString(), a2.eventId().toString());
        assertThat(chainOrder(globex)).containsExactly(g1.eventId().toString(), g2.eventId().toString());
        assertThat(chainOf(acme).get("intact").asBoolean()).isTrue();
        assertThat(chainOf(globex).get("intact").asBoolean()).isTrue();
        assertThat(output.getOut()).contains("recording them one by one")
                .contains("topic=scim.events partition=%d offset=%d (attempt 1)".formatted(PARTITION, published.get(2).offset()));
        assertCommittedPast(published.get(published.size() - 1));
        assertThat(deactivationsOf(acme)).hasSize(2);
        assertThat(deactivationsOf(globex)).hasSize(2);
    }

    @Test
    void aWholeBatchDeliveredAgainRecordsOnlyTheEventThatIsNew() throws Exception {
        String tenant = uniqueTenant("redelivered");
        ScimEvent z1 = deactivation(tenant, "z-1");
        ScimEvent z2 = deactivation(tenant, "z-2");
        List<RecordMetadata> first = publishAsOneBatch(List.of(withHeaders(z1),
                withHeaders(event(tenant, "z-3", EventType.CREATED, null, user("z-3", "z3", true, null))), withHeaders(z2)));
        awaitDeactivations(tenant, 2);
        assertCommittedPast(first.get(2));
        List<Map<String, Object>> recorded = rows(tenant);

        ScimEvent z3 = deactivation(tenant, "z-3");
        MessageListenerContainer container = listeners.getListenerContainer("scim-events-audit");
        RecordMetadata last;
        try (Admin admin = admin()) {
            container.stop();
            try {
                // the group accepts new offsets once its consumers have left it
                await().atMost(PATIENCE).ignoreExceptions().until(() -> admin.alterConsumerGroupOffsets(CONSUMER_GROUP,
                        Map.of(new TopicPartition(Topics.EVENTS, PARTITION), new OffsetAndMetadata(first.get(0).offset()))).all()
                        .get() == null);
                last = publish(withHeaders(z3));
            } finally {
                container.start();
            }
        }
        assertCommittedPast(last);

        assertThat(chainOrder(tenant)).containsExactly(z1.eventId().toString(), z2.eventId().toString(), z3.eventId().toString());
        assertThat(rows(tenant).subList(0, 2)).as("the records there were are untouched").isEqualTo(recorded);
        assertThat(chainOf(tenant).get("intact").asBoolean()).isTrue();
        assertThat(chainOf(tenant).get("recordsChecked").asLong()).isEqualTo(3);
    }

    @Test
    void aBatchLeavesOutWhatRetentionRemovedAndWhatIsOlderThanItsCutoff() throws Exception {
        String tenant = uniqueTenant("batch-retention");
        ScimEvent removed = event(tenant, "r-1", EventType.PATCHED, user("r-1", "r1", true, null), user("r-1", "r1", false, null),
                "Okta SCIM Client", LONG_AGO);
        ScimEvent kept = deactivation(tenant, "r-2");
        publishAsOneBatch(List.of(withHeaders(removed), withHeaders(kept)));
        awaitDeactivations(tenant, 2);
        assertThat(retention.removeRecordedBefore(tenant, CUTOFF)).isEqualTo(1);

        ScimEvent neverRecordedButAsOld = event(tenant, "r-3", EventType.DELETED, user("r-3", "r3", true, null), null,
                "Okta SCIM Client", LONG_AGO.plusSeconds(60));
        ScimEvent recent = deactivation(tenant, "r-4");
        publishAsOneBatch(List.of(withHeaders(removed), withHeaders(neverRecordedButAsOld), withHeaders(kept), withHeaders(recent)));

        awaitDeactivations(tenant, 2);
        assertThat(chainOrder(tenant)).containsExactly(kept.eventId().toString(), recent.eventId().toString());
        JsonNode report = chainOf(tenant);
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("checkpoint").get("seq").asLong()).isEqualTo(1);
        assertThat(report.get("recordsChecked").asLong()).isEqualTo(2);
    }

    @Test
    void twoTransactionsLockingTheHeadsOfTheSameTenantsInOppositeOrderDoNotDeadlock() throws Exception {
        String first = uniqueTenant("lock-a");
        String second = "z" + uniqueTenant("lock-b");
        transaction.executeWithoutResult(status -> chain.lockHeads(List.of(first, second)));

        AtomicReference<CompletableFuture<Map<String, ChainHead>>> other = new AtomicReference<>();
        Map<String, ChainHead> mine = transaction.execute(status -> {
            chain.lockHead(first);
            // another batch asks for the same heads, named in the opposite order, while this one holds the first
            other.set(CompletableFuture.supplyAsync(() -> transaction.execute(inner -> chain.lockHeads(List.of(second, first)))));
            await().atMost(PATIENCE).until(() -> jdbc.sql("""
                    select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'""")
                    .query(Long.class).single() > 0);
            // had the other one taken the second head before waiting for the first, this would deadlock now
            return chain.lockHeads(List.of(first, second));
        });

        assertThat(mine).containsOnlyKeys(first, second);
        assertThat(other.get().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).containsOnlyKeys(first, second);
    }

    /** Publishes the records to one partition while the listener is stopped, so that it gets them in one poll. */
    private List<RecordMetadata> publishAsOneBatch(List<ProducerRecord<String, byte[]>> records) throws Exception {
        MessageListenerContainer container = listeners.getListenerContainer("scim-events-audit");
        container.stop();
        try {
            List<RecordMetadata> published = new ArrayList<>();
            for (ProducerRecord<String, byte[]> record : records) {
                published.add(publish(record));
            }
            return published;
        } finally {
            container.start();
        }
    }

    private static ProducerRecord<String, byte[]> withHeaders(ScimEvent event) {
        ProducerRecord<String, byte[]> record = withoutHeaders(event);
        EventHeaders.write(event, record.headers());
        return record;
    }

    /** As a worker that wrote no headers yet published it. */
    private static ProducerRecord<String, byte[]> withoutHeaders(ScimEvent event) {
        return new ProducerRecord<>(Topics.EVENTS, PARTITION, event.key(), EventCodec.encode(event));
    }

    private static ScimEvent deactivation(String tenant, String userId) {
        return event(tenant, userId, EventType.PATCHED, user(userId, userId, true, null), user(userId, userId, false, null));
    }

    /** What the error handler logs when it skips a record for good. */
    private static String skipped(RecordMetadata record) {
        return "never be recorded: topic=scim.events partition=%d offset=%d key=".formatted(record.partition(), record.offset());
    }

    private List<String> chainOrder(String tenant) {
        return jdbc.sql("select event_id::text from audit.deactivations where tenant = :tenant order by chain_seq")
                .param("tenant", tenant).query(String.class).list();
    }

    private List<Map<String, Object>> rows(String tenant) {
        return jdbc.sql("select * from audit.deactivations where tenant = :tenant order by chain_seq")
                .param("tenant", tenant).query().listOfRows();
    }

    private void assertCommittedPast(RecordMetadata record) throws Exception {
        var partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = admin()) {
            await().atMost(PATIENCE).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(CONSUMER_GROUP).partitionsToOffsetAndMetadata().get()
                        .get(partition);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }

    private static Admin admin() {
        return Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers()));
    }
}
