package dev.scimflow.ssf.delivery;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.OutcomeHeaders;
import dev.scimflow.events.SecurityEventUris;
import dev.scimflow.events.Topics;
import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.stream.StreamConfig;
import dev.scimflow.ssf.stream.StreamStatus;
import dev.scimflow.ssf.stream.Streams;
import dev.scimflow.ssf.token.ScimSets;
import dev.scimflow.ssf.token.SetSigner;

/**
 * Reports the outcomes of asynchronous requests (RFC 9967 §2.5.1): reads {@code scim.outcomes} in a consumer group of its
 * own and, for each outcome of a change the client sent with {@code Prefer: respond-async}, queues a signed
 * {@code misc:asyncresp} SET on every stream of the tenant that asked for it (not disabled). Outcomes whose header
 * says they answer a synchronous request, nearly all, are passed over without being decoded; a fetch waits for 64 KB
 * of them or 100 ms. Offsets are committed at most once a second, after the SETs are stored as pending, and their
 * jtis are derived from stream and change, so a redelivered outcome queues nothing twice. Outcomes are kept an hour:
 * a service down for longer misses the ones in between, which the client can still learn by reading the resource.
 */
@Component
class AsyncResponses {

    private static final Logger log = LoggerFactory.getLogger(AsyncResponses.class);

    private final Streams streams;
    private final PendingSets pending;
    private final SetSigner signer;
    private final EventsProperties properties;

    AsyncResponses(Streams streams, PendingSets pending, SetSigner signer, EventsProperties properties) {
        this.streams = streams;
        this.pending = pending;
        this.signer = signer;
        this.properties = properties;
    }

    @KafkaListener(id = "scimflow-events-async", groupId = "scimflow-events-async", topics = Topics.OUTCOMES, properties = {
            "auto.offset.reset=earliest", "fetch.min.bytes=65536"})
    void on(ConsumerRecord<String, byte[]> record) {
        if (!OutcomeHeaders.respondAsync(record.headers()).orElse(true)) {
            return;
        }
        ChangeOutcome outcome;
        try {
            outcome = EventCodec.outcome(record.value());
        } catch (RuntimeException e) {
            log.warn("skipping an unreadable outcome at partition {} offset {}", record.partition(), record.offset());
            return;
        }
        if (!outcome.respondAsync() || outcome.tenant() == null || outcome.changeId() == null) {
            return;
        }
        for (StreamConfig stream : streams.list(outcome.tenant())) {
            if (stream.status() != StreamStatus.DISABLED && stream.eventsDelivered().contains(SecurityEventUris.ASYNC_RESPONSE)) {
                var claims = ScimSets.asyncResponse(outcome, properties.issuer(), stream.audience(properties.issuer()), stream.id(),
                        Instant.now());
                pending.add(stream.id(), claims.get("jti").asString(), signer.sign(claims));
            }
        }
    }
}
