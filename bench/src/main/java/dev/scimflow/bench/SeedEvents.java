package dev.scimflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;

/**
 * Synthetic users for a large store: one CREATED event per user of one tenant, published to {@code scim.events}, so
 * that {@code scimflow rebuild store} loads a store of that size quickly ({@code scimflow bench seed}, and the seeding
 * of {@code scimflow bench rebuild-store}). User {@code i} has the id {@code nameUUIDFromBytes("seed-" + i)}, the
 * userName {@code seed<i>@example.com} and the externalId {@code ext-<i>}: what {@link StoreWalk} looks up.
 */
public final class SeedEvents {

    private static final String SNAPSHOT = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s","userName":"seed%d@example.com","externalId":"ext-%d","active":true,
             "name":{"givenName":"Seed","familyName":"User %d"},"emails":[{"value":"seed%d@example.com","primary":true}],
             "meta":{"resourceType":"User","created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z","version":"W/\\"1\\""}}""";

    private SeedEvents() {
    }

    /** The CREATED event of seeded user {@code i}. */
    static ScimEvent created(String tenant, int i) {
        String id = UUID.nameUUIDFromBytes(("seed-" + i).getBytes(StandardCharsets.UTF_8)).toString();
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), tenant, ResourceType.USER, id, EventType.CREATED, 1, null,
                EventCodec.mapper().readTree(SNAPSHOT.formatted(id, i, i, i, i)), null, "seed-" + i,
                Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"), ScimEvent.SCHEMA_VERSION);
    }

    /** Sends the CREATED events of users 0..n-1 of the tenant; the caller closes (and so flushes) the producer. */
    public static void publish(Producer<byte[], byte[]> producer, String tenant, int n) {
        for (int i = 0; i < n; i++) {
            ScimEvent created = created(tenant, i);
            producer.send(new ProducerRecord<>(Topics.EVENTS, created.key().getBytes(StandardCharsets.UTF_8),
                    EventCodec.encode(created)));
        }
    }
}
