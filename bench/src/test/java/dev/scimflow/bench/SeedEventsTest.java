package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;

class SeedEventsTest {

    @Test
    void aSeededUserIsACreatedEventWithTheNamesTheWalkLooksUp() {
        ScimEvent event = EventCodec.event(EventCodec.encode(SeedEvents.created("acme", 41)));

        String id = UUID.nameUUIDFromBytes("seed-41".getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(event.tenant()).isEqualTo("acme");
        assertThat(event.type()).isEqualTo(EventType.CREATED);
        assertThat(event.resourceType()).isEqualTo(ResourceType.USER);
        assertThat(event.resourceId()).isEqualTo(id);
        assertThat(event.version()).isEqualTo(1);
        assertThat(event.before()).isNull();
        assertThat(event.after().path("id").asString()).isEqualTo(id);
        assertThat(event.after().path("userName").asString()).isEqualTo("seed41@example.com");
        assertThat(event.after().path("externalId").asString()).isEqualTo("ext-41");
        assertThat(event.after().path("active").asBoolean()).isTrue();
        assertThat(event.after().path("meta").path("version").asString()).isEqualTo("W/\"1\"");
        assertThat(event.key()).isEqualTo(SeedEvents.created("acme", 41).key());
    }

    @Test
    void everySeededUserHasItsOwnIdAndEveryEventItsOwnEventId() {
        ScimEvent first = SeedEvents.created("acme", 1);
        ScimEvent second = SeedEvents.created("acme", 2);

        assertThat(first.resourceId()).isNotEqualTo(second.resourceId());
        assertThat(SeedEvents.created("acme", 1).resourceId()).isEqualTo(first.resourceId());
        assertThat(SeedEvents.created("acme", 1).eventId()).isNotEqualTo(first.eventId());
    }
}
