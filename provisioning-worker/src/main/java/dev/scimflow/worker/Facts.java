package dev.scimflow.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.store.Outbox;
import dev.scimflow.store.StoredUser;

/**
 * Writes the facts of an applied change to the outbox, in the change's transaction. The event id is derived
 * from the change id, so re-applying a change (a replay after a restore) yields the same event, which every
 * consumer already de-duplicates.
 */
@Component
class Facts {

    private final Outbox outbox;

    Facts(Outbox outbox) {
        this.outbox = outbox;
    }

    void record(ScimChange change, EventType type, StoredUser before, StoredUser after) {
        StoredUser current = after != null ? after : before;
        ScimEvent event = new ScimEvent(
                UUID.nameUUIDFromBytes((change.changeId() + ":" + type).getBytes(StandardCharsets.UTF_8)),
                change.changeId(), change.tenant(), ResourceType.USER, change.resourceId(), type, current.version(),
                before == null ? null : before.toResource(null), after == null ? null : after.toResource(null),
                change.actor(), change.requestId(), change.acceptedAt(), Instant.now(), ScimEvent.SCHEMA_VERSION);
        outbox.add(Topics.EVENTS, event.key(), EventCodec.mapper().writeValueAsString(event));
    }
}
