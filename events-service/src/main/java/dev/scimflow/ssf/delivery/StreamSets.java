package dev.scimflow.ssf.delivery;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.stream.StreamConfig;
import dev.scimflow.ssf.token.ScimSets;
import dev.scimflow.ssf.token.SetSigner;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signed SET a record of {@code scim.events} makes for a stream, if any: only the stream's tenant's events (told by
 * the record key, {@code tenant:resourceId}, without decoding), and only those the stream asked for. Also the SETs that
 * do not come from Kafka: verification (SSF 1.0 §8.1.4).
 */
@Component
public class StreamSets {

    public static final String VERIFICATION = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    private static final Logger log = LoggerFactory.getLogger(StreamSets.class);

    /** A signed SET and when the change it reports was applied. */
    public record SignedSet(String jti, String jwt, Instant appliedAt) {
    }

    private final SetSigner signer;
    private final EventsProperties properties;

    StreamSets(SetSigner signer, EventsProperties properties) {
        this.signer = signer;
        this.properties = properties;
    }

    /** Whether a record of {@code scim.events} is about a resource of the stream's tenant, told by its key alone. */
    public static boolean ofTenant(StreamConfig stream, ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        return key != null && key.startsWith(stream.tenant() + ":") && key.indexOf(':', stream.tenant().length() + 1) < 0;
    }

    public Optional<SignedSet> of(StreamConfig stream, ConsumerRecord<String, byte[]> record) {
        if (!ofTenant(stream, record)) {
            return Optional.empty();
        }
        ScimEvent event;
        try {
            event = EventCodec.event(record.value());
        } catch (RuntimeException e) {
            log.error("skipping an undecodable scim.events record at partition {} offset {}", record.partition(), record.offset());
            return Optional.empty();
        }
        if (event == null || event.eventId() == null || event.type() == null || event.resourceType() == null
                || !stream.tenant().equals(event.tenant())) {
            return Optional.empty();
        }
        return ScimSets.claims(event, stream.eventsDelivered(), properties.issuer(), stream.audience(properties.issuer()),
                stream.id(), Instant.now())
                .map(claims -> new SignedSet(claims.get("jti").asString(), signer.sign(claims), event.appliedAt()));
    }

    /** A verification event for the stream, carrying the receiver's {@code state}. */
    public SignedSet verification(StreamConfig stream, String state) {
        ObjectNode claims = EventCodec.mapper().createObjectNode();
        String jti = UUID.randomUUID().toString();
        claims.put("jti", jti);
        claims.put("iss", properties.issuer());
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("aud", stream.audience(properties.issuer()));
        claims.putObject("sub_id").put("format", "opaque").put("id", stream.id());
        ObjectNode verification = claims.putObject("events").putObject(VERIFICATION);
        if (state != null) {
            verification.put("state", state);
        }
        return new SignedSet(jti, signer.sign(claims), null);
    }
}
