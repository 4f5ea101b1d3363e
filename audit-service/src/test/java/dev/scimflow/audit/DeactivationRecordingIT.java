package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.events.TraceParent;
import dev.scimflow.testing.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/** Events published to scim.events, as the worker publishes them, end up in the audit log exactly when they should. */
@ExtendWith(OutputCaptureExtension.class)
class DeactivationRecordingIT extends RunningAuditService {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    private JsonNode awaitEntries(String tenant, int count) {
        return await().atMost(PATIENCE).until(() -> deactivationsOf(tenant), items -> items.size() >= count);
    }

    @Test
    void aPatchDeactivationIsRecordedOnceWithWhoWhenAndWhy() throws Exception {
        String tenant = uniqueTenant("patch");
        ScimEvent deactivated = event(tenant, "u-1", EventType.PATCHED,
                user("u-1", "ada@example.com", true, "Ada Lovelace"), user("u-1", "ada@example.com", false, "Ada Lovelace"));
        publish(deactivated);

        JsonNode entry = awaitEntries(tenant, 1).get(0);
        assertThat(entry.get("tenant").asString()).isEqualTo(tenant);
        assertThat(entry.get("userId").asString()).isEqualTo("u-1");
        assertThat(entry.get("userName").asString()).isEqualTo("ada@example.com");
        assertThat(entry.get("displayName").asString()).isEqualTo("Ada Lovelace");
        assertThat(entry.get("action").asString()).isEqualTo("DEACTIVATED");
        assertThat(entry.get("cause").asString()).isEqualTo("PATCH");
        assertThat(entry.get("clientName").asString()).isEqualTo("Okta SCIM Client");
        assertThat(entry.get("tokenId").asString()).isEqualTo("token-" + tenant);
        assertThat(entry.get("requestId").asString()).isEqualTo(deactivated.requestId());
        assertThat(entry.get("changeId").asString()).isEqualTo(deactivated.changeId().toString());
        assertThat(entry.get("eventId").asString()).isEqualTo(deactivated.eventId().toString());
        assertThat(entry.get("changedAt").asString()).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(entry.get("recordedAt").asString()).as("the event's appliedAt").isEqualTo("2026-03-04T05:06:08Z");
        assertThat(entry.get("id").asString()).as("the record is named by its event").isEqualTo(deactivated.eventId().toString());
        assertThat(entry.has("before")).as("the list leaves the snapshots out").isFalse();

        JsonNode detail = api("/api/v1/deactivations/" + entry.get("id").asString());
        assertThat(detail.get("eventId").asString()).isEqualTo(deactivated.eventId().toString());
        assertThat(detail.get("before").get("active").asBoolean()).isTrue();
        assertThat(detail.get("after").get("active").asBoolean()).isFalse();
        assertThat(detail.get("after").get("userName").asString()).isEqualTo("ada@example.com");
        assertThat(detail.get("chain").get("seq").asLong()).isEqualTo(1);
        assertThat(detail.get("chain").get("recordHash").asString()).hasSize(64);
        assertThat(detail.get("writtenAt").isNull()).isFalse();
        assertThat(deactivationsOf(tenant)).hasSize(1);
    }

    @Test
    void aPutThatSetsActiveFalseIsRecordedAsAPutDeactivation() throws Exception {
        String tenant = uniqueTenant("put");
        JsonNode replacement = EventCodec.mapper().readTree("""
                {"id":"u-2","userName":"bob@example.com","active":false}""");
        publish(event(tenant, "u-2", EventType.REPLACED, user("u-2", "bob@example.com", true, "Bob"), replacement));

        JsonNode entry = awaitEntries(tenant, 1).get(0);
        assertThat(entry.get("action").asString()).isEqualTo("DEACTIVATED");
        assertThat(entry.get("cause").asString()).isEqualTo("PUT");
        assertThat(entry.get("displayName").asString()).as("the PUT dropped it; the snapshot before has it").isEqualTo("Bob");
        assertThat(entry.get("traceId").isNull()).as("an event published without a traceparent").isTrue();
    }

    @Test
    void deletingAnActiveUserIsRecordedAsADeleteDeactivation() throws Exception {
        String tenant = uniqueTenant("delete");
        ScimEvent deleted = event(tenant, "u-3", EventType.DELETED, user("u-3", "cy@example.com", true, null), null);
        // as the worker's relay publishes it: with the trace context of the change's apply span
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS, deleted.key(), EventCodec.encode(deleted));
        record.headers().add(TraceParent.HEADER,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        publish(record);

        JsonNode entry = awaitEntries(tenant, 1).get(0);
        assertThat(entry.get("action").asString()).isEqualTo("DEACTIVATED");
        assertThat(entry.get("cause").asString()).isEqualTo("DELETE");
        assertThat(entry.get("userName").asString()).isEqualTo("cy@example.com");
        assertThat(entry.get("displayName").asString()).as("given and family name").isEqualTo("Given Family");
        assertThat(entry.get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        JsonNode detail = api("/api/v1/deactivations/" + entry.get("id").asString());
        assertThat(detail.get("after").isNull()).isTrue();
        assertThat(detail.get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aReactivationIsRecordedAfterTheDeactivationItUndoes() throws Exception {
        String tenant = uniqueTenant("reactivate");
        publish(event(tenant, "u-4", EventType.PATCHED, user("u-4", "dee", true, "Dee"), user("u-4", "dee", false, "Dee")));
        publish(event(tenant, "u-4", EventType.PATCHED, user("u-4", "dee", false, "Dee"), user("u-4", "dee", true, "Dee")));

        JsonNode items = awaitEntries(tenant, 2);
        assertThat(items).extracting(item -> item.get("action").asString()).containsExactly("REACTIVATED", "DEACTIVATED");
    }

    @Test
    void changesThatLeaveAccessAsItWasAreNotRecorded() throws Exception {
        String tenant = uniqueTenant("rename");
        publish(event(tenant, "u-5", EventType.PATCHED, user("u-5", "eve", true, "Eve"), user("u-5", "eve", true, "Eve Adams")));
        publish(event(tenant, "u-5", EventType.DELETED, user("u-5", "eve", false, "Eve"), null));
        publish(event(tenant, "u-5", EventType.CREATED, null, user("u-5", "eve", false, "Eve")));
        // the same key keeps these in order on one partition: once this one is recorded, the ones before were seen
        ScimEvent marker = event(tenant, "u-5", EventType.REPLACED, user("u-5", "eve", true, "Eve"), user("u-5", "eve", false, "Eve"));
        publish(marker);

        JsonNode items = awaitEntries(tenant, 1);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("eventId").asString()).isEqualTo(marker.eventId().toString());
    }

    @Test
    void theSameEventDeliveredTwiceIsRecordedOnce() throws Exception {
        String tenant = uniqueTenant("twice");
        ScimEvent deactivated = event(tenant, "u-6", EventType.PATCHED, user("u-6", "fay", true, "Fay"), user("u-6", "fay", false, "Fay"));
        publish(deactivated);
        publish(deactivated);
        ScimEvent marker = event(tenant, "u-6", EventType.PATCHED, user("u-6", "fay", false, "Fay"), user("u-6", "fay", true, "Fay"));
        publish(marker);

        JsonNode items = awaitEntries(tenant, 2);
        assertThat(items).extracting(item -> item.get("eventId").asString())
                .containsExactly(marker.eventId().toString(), deactivated.eventId().toString());
    }

    @Test
    void rewindingTheConsumerGroupToTheStartRecordsNothingTwiceAndKeepsTheChain() throws Exception {
        String tenant = uniqueTenant("rewound");
        for (int i = 0; i < 3; i++) {
            publish(event(tenant, "w-" + i, EventType.DELETED, user("w-" + i, "w" + i, true, null), null));
        }
        JsonNode before = awaitEntries(tenant, 3);

        MessageListenerContainer container = listeners.getListenerContainer("scim-events-audit");
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < TestInfrastructure.PARTITIONS; partition++) {
                start.put(new TopicPartition(Topics.EVENTS, partition), new OffsetAndMetadata(0));
                latest.put(new TopicPartition(Topics.EVENTS, partition), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            container.stop();
            try {
                // the group accepts new offsets once its consumers have left it
                await().atMost(PATIENCE).ignoreExceptions()
                        .until(() -> admin.alterConsumerGroupOffsets(CONSUMER_GROUP, start).all().get() == null);
            } finally {
                container.start();
            }
            // every record up to the end of each partition is delivered again and committed again
            await().atMost(PATIENCE).until(() -> {
                var committed = admin.listConsumerGroupOffsets(CONSUMER_GROUP).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(end -> committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue().offset());
            });
        }
        assertThat(deactivationsOf(tenant)).isEqualTo(before);
        assertThat(chainOf(tenant).get("intact").asBoolean()).isTrue();
        assertThat(chainOf(tenant).get("recordsChecked").asLong()).isEqualTo(3);
    }

    @Test
    void theOffsetIsCommittedForTheConfiguredConsumerGroupOnceTheEventIsRecorded() throws Exception {
        String tenant = uniqueTenant("offsets");
        RecordMetadata published = publish(event(tenant, "u-9", EventType.DELETED, user("u-9", "ivy", true, "Ivy"), null));
        awaitEntries(tenant, 1);

        var partition = new TopicPartition(Topics.EVENTS, published.partition());
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            await().atMost(PATIENCE).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(CONSUMER_GROUP)
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > published.offset();
            });
        }
    }

    @Test
    void aMalformedRecordIsLoggedAndSkippedWithoutBlockingLaterEvents(CapturedOutput output) throws Exception {
        String tenant = uniqueTenant("poison");
        String key = Topics.resourceKey(tenant, "u-7");
        var garbage = publish(key, "{not json".getBytes(StandardCharsets.UTF_8));
        var envelopeless = publish(key,
                "{\"tenant\":\"%s\",\"version\":1,\"schemaVersion\":1}".formatted(tenant).getBytes(StandardCharsets.UTF_8));
        publish(event(tenant, "u-7", EventType.PATCHED, user("u-7", "gus", true, "Gus"), user("u-7", "gus", false, "Gus")));

        assertThat(awaitEntries(tenant, 1)).hasSize(1);
        assertThat(output.getOut()).contains("ERROR")
                .contains("topic=scim.events partition=%d offset=%d".formatted(garbage.partition(), garbage.offset()))
                .contains("topic=scim.events partition=%d offset=%d".formatted(envelopeless.partition(), envelopeless.offset()));
    }

    @Test
    void anEventThatCannotBeWrittenWhileTheLogIsUnavailableIsRetriedNotSkipped(CapturedOutput output) throws Exception {
        String tenant = uniqueTenant("outage");
        ScimEvent deactivated = event(tenant, "u-8", EventType.DELETED, user("u-8", "hal", true, "Hal"), null);
        jdbc.sql("alter table audit.deactivations rename to deactivations_offline").update();
        try {
            RecordMetadata published = publish(deactivated);
            String coordinates = "topic=scim.events partition=%d offset=%d".formatted(published.partition(), published.offset());
            // more failed deliveries than a bounded back-off would allow before skipping the record
            await().atMost(PATIENCE).until(() -> output.getOut().contains(coordinates + " (attempt 5)"));
            assertThat(output.getOut()).doesNotContain("never be recorded: " + coordinates);
        } finally {
            jdbc.sql("alter table audit.deactivations_offline rename to deactivations").update();
        }
        JsonNode entry = await().atMost(Duration.ofSeconds(60)).until(() -> deactivationsOf(tenant), items -> items.size() == 1).get(0);
        assertThat(entry.get("eventId").asString()).isEqualTo(deactivated.eventId().toString());
    }
}
