package dev.scimflow.audit.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.Actor;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;

class DeactivationRecordTest {

    private static final String ACTIVE = """
            {"id":"u1","userName":"ada@example.com","displayName":"Ada","active":true}""";
    private static final String INACTIVE = """
            {"id":"u1","userName":"ada@example.com","active":false}""";

    private static ScimEvent event(ResourceType resourceType, EventType type, String before, String after) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", resourceType, "u1", type, 2,
                json(before), json(after), new Actor("tok-1", "Okta SCIM Client"), "req-1",
                Instant.parse("2026-01-02T03:04:05Z"), Instant.now(), ScimEvent.SCHEMA_VERSION);
    }

    private static JsonNode json(String json) {
        return json == null ? null : EventCodec.mapper().readTree(json);
    }

    @Test
    void eachWriteMapsToTheScimRequestThatCausedIt() {
        assertThat(DeactivationRecord.of(event(ResourceType.USER, EventType.PATCHED, ACTIVE, INACTIVE)))
                .get().extracting(DeactivationRecord::cause, DeactivationRecord::action)
                .containsExactly(AuditCause.PATCH, AuditAction.DEACTIVATED);
        assertThat(DeactivationRecord.of(event(ResourceType.USER, EventType.REPLACED, ACTIVE, INACTIVE)))
                .get().extracting(DeactivationRecord::cause).isEqualTo(AuditCause.PUT);
        assertThat(DeactivationRecord.of(event(ResourceType.USER, EventType.DELETED, ACTIVE, null)))
                .get().extracting(DeactivationRecord::cause, DeactivationRecord::action)
                .containsExactly(AuditCause.DELETE, AuditAction.DEACTIVATED);
        assertThat(AuditCause.of(EventType.CREATED)).isEmpty();
    }

    @Test
    void aReactivationIsRecordedAsSuch() {
        assertThat(DeactivationRecord.of(event(ResourceType.USER, EventType.PATCHED, INACTIVE, ACTIVE)))
                .get().extracting(DeactivationRecord::action).isEqualTo(AuditAction.REACTIVATED);
    }

    @Test
    void theRecordCarriesWhoDidItAndTheNamesFromTheSnapshots() {
        var record = DeactivationRecord.of(event(ResourceType.USER, EventType.REPLACED, ACTIVE, INACTIVE)).orElseThrow();
        assertThat(record.user()).isEqualTo(new AuditedUser("ada@example.com", "Ada"));
        assertThat(record.actor()).isEqualTo(new Actor("tok-1", "Okta SCIM Client"));
        assertThat(record.userId()).isEqualTo("u1");
        assertThat(record.tenant()).isEqualTo("acme");
    }

    @Test
    void factsThatLeaveAccessAsItWasAreNotRecorded() {
        assertThat(DeactivationRecord.of(event(ResourceType.USER, EventType.PATCHED, ACTIVE, ACTIVE))).isEmpty();
        assertThat(DeactivationRecord.of(event(ResourceType.USER, EventType.DELETED, INACTIVE, null))).isEmpty();
        assertThat(DeactivationRecord.of(event(ResourceType.USER, EventType.CREATED, null, INACTIVE))).isEmpty();
        assertThat(DeactivationRecord.of(event(ResourceType.GROUP, EventType.DELETED, ACTIVE, null))).isEmpty();
    }

    @Test
    void anEventWithoutActorIsStillRecorded() {
        var event = event(ResourceType.USER, EventType.PATCHED, ACTIVE, INACTIVE);
        var withoutActor = new ScimEvent(event.eventId(), event.changeId(), event.tenant(), event.resourceType(),
                event.resourceId(), event.type(), event.version(), event.before(), event.after(), null, null,
                event.changedAt(), event.appliedAt(), ScimEvent.SCHEMA_VERSION);
        assertThat(DeactivationRecord.of(withoutActor)).get()
                .extracting(DeactivationRecord::actor).isEqualTo(new Actor(null, null));
    }

    @Test
    void theTimesAreTheEventsToTheMicrosecondSoThatTheSameEventGivesTheSameRecord() {
        var event = withTimes(Instant.parse("2026-01-02T03:04:05.123456789Z"), Instant.parse("2026-01-02T03:04:06.987654321Z"));
        var record = DeactivationRecord.of(event).orElseThrow();
        assertThat(record.changedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(record.recordedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:06.987654Z"));
        assertThat(DeactivationRecord.of(event).orElseThrow().content()).isEqualTo(record.content());
        assertThat(record.content().hash()).isEqualTo(DeactivationRecord.of(event).orElseThrow().content().hash());
    }

    @Test
    void aMissingTimeIsTakenFromTheOtherAndAnEventWithNeitherCannotBeRecorded() {
        Instant time = Instant.parse("2026-01-02T03:04:05Z");
        assertThat(DeactivationRecord.of(withTimes(null, time)).orElseThrow().changedAt()).isEqualTo(time);
        assertThat(DeactivationRecord.of(withTimes(time, null)).orElseThrow().recordedAt()).isEqualTo(time);
        assertThatThrownBy(() -> DeactivationRecord.of(withTimes(null, null))).isInstanceOf(UndecodableEvent.class);
    }

    @Test
    void theContentNamesEveryFieldOfTheRecord() {
        var event = event(ResourceType.USER, EventType.DELETED, ACTIVE, null);
        var content = DeactivationRecord.of(event).orElseThrow().content();
        assertThat(content.eventId()).isEqualTo(event.eventId().toString());
        assertThat(content.changeId()).isEqualTo(event.changeId().toString());
        assertThat(content).extracting("tenant", "userId", "userName", "displayName", "action", "cause", "clientName",
                "tokenId", "requestId")
                .containsExactly("acme", "u1", "ada@example.com", "Ada", "DEACTIVATED", "DELETE", "Okta SCIM Client",
                        "tok-1", "req-1");
        assertThat(content.before()).isEqualTo(event.before());
        assertThat(content.after()).isNull();
    }

    private static ScimEvent withTimes(Instant changedAt, Instant appliedAt) {
        var event = event(ResourceType.USER, EventType.PATCHED, ACTIVE, INACTIVE);
        return new ScimEvent(event.eventId(), event.changeId(), event.tenant(), event.resourceType(),
                event.resourceId(), event.type(), event.version(), event.before(), event.after(), event.actor(),
                event.requestId(), changedAt, appliedAt, ScimEvent.SCHEMA_VERSION);
    }
}
