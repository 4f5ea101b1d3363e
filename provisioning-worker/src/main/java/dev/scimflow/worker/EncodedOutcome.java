package dev.scimflow.worker;

import java.nio.charset.StandardCharsets;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;

/** An outcome with its JSON, encoded once: recorded with the applied change and published to {@code scim.outcomes}. */
record EncodedOutcome(ChangeOutcome outcome, byte[] bytes) {

    static EncodedOutcome of(ChangeOutcome outcome) {
        return new EncodedOutcome(outcome, EventCodec.encode(outcome));
    }

    String json() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
