package dev.scimflow.events;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON encoding of changes, events and outcomes on the wire. One mapper for every topic, so the producers
 * and consumers of the contract cannot disagree. Unknown fields are ignored, so that a newer producer's
 * additions never break an older consumer.
 */
public final class EventCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static ScimChange change(byte[] json) {
        return MAPPER.readValue(json, ScimChange.class);
    }

    public static ScimEvent event(byte[] json) {
        return MAPPER.readValue(json, ScimEvent.class);
    }

    public static ChangeOutcome outcome(byte[] json) {
        return MAPPER.readValue(json, ChangeOutcome.class);
    }

    public static ScimRequest request(byte[] json) {
        return MAPPER.readValue(json, ScimRequest.class);
    }
}
