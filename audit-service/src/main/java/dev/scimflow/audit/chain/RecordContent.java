package dev.scimflow.audit.chain;

import java.time.Instant;
import java.util.Objects;

import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an audit record says, every field of it derived from the event alone: this is what its hash covers and
 * what "the same record" means when the log is rebuilt from {@code scim.events}. The row's database id, its
 * place in the chain and the wall-clock time it was written are not content.
 */
public record RecordContent(
                            String tenant,
                            String userId,
                            String userName,
                            String displayName,
                            String action,
                            String cause,
                            String clientName,
                            String tokenId,
                            String requestId,
                            String changeId,
                            String eventId,
                            Instant changedAt,
                            Instant recordedAt,
                            JsonNode before,
                            JsonNode after) {

    /** Names the serialization below; a future change to it gets a new name, and old records keep theirs. */
    static final String FORMAT = "scimflow.audit.v1";

    /** The canonical text of this content: a JSON object of every field, members sorted, nulls spelled out. */
    public String canonical() {
        ObjectNode content = EventCodec.mapper().createObjectNode();
        content.put("format", FORMAT);
        content.put("tenant", tenant);
        content.put("userId", userId);
        content.put("userName", userName);
        content.put("displayName", displayName);
        content.put("action", action);
        content.put("cause", cause);
        content.put("clientName", clientName);
        content.put("tokenId", tokenId);
        content.put("requestId", requestId);
        content.put("changeId", changeId);
        content.put("eventId", eventId);
        content.put("changedAt", Objects.toString(changedAt, null));
        content.put("recordedAt", Objects.toString(recordedAt, null));
        content.set("before", before);
        content.set("after", after);
        return CanonicalJson.of(content);
    }

    /** SHA-256 (hex) of the canonical text. */
    public String hash() {
        return Sha256.hex(canonical());
    }
}
