package dev.scimflow.ingress.changes;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.OutcomeHeaders;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.Topics;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * Asynchronous SCIM requests (RFC 9967 §2.5.1.1): a write sent with {@code Prefer: respond-async} is answered 202 as
 * soon as the broker has the change ({@code acks=all}, so it is as safe as a synchronous one), without waiting for the
 * worker: no body, {@code Preference-Applied: respond-async}, {@code Set-Txn} = the change id, and {@code Location} =
 * the resource's location (RFC 9967 allows it). The worker applies the change as any other; its outcome reaches the
 * tenant's event streams as a {@code misc:asyncresp} SET whose {@code txn} is that change id. The broker not taking the
 * change is a 503, as for a synchronous write. ({@code wait} is not honoured: the answer is always 202.) An asynchronous
 * bulk request is answered by {@link dev.scimflow.ingress.bulk.BulkExecution}; the outcome of an operation the ingress refuses itself is published
 * here ({@link #report}) so that it reaches the streams as the worker's outcomes do.
 */
@Component
public class AsyncRequests {

    private static final Logger log = LoggerFactory.getLogger(AsyncRequests.class);

    private final KafkaTemplate<String, byte[]> kafka;

    AsyncRequests(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    /** True when the request's {@code Prefer} header asks for {@code respond-async}. */
    public static boolean requested(HttpServletRequest request) {
        var prefer = request.getHeaders("Prefer");
        while (prefer != null && prefer.hasMoreElements()) {
            for (String preference : prefer.nextElement().split(",")) {
                if (preference.strip().toLowerCase(Locale.ROOT).split(";")[0].strip().equals("respond-async")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Publishes the change as an asynchronous one and answers 202 once the broker has it. */
    public CompletableFuture<ResponseEntity<JsonNode>> accept(ScimChange change, String location) {
        ScimChange asynchronous = change.asynchronous();
        CompletableFuture<?> published;
        try {
            published = kafka.send(Topics.CHANGES, asynchronous.key(), EventCodec.encode(asynchronous));
        } catch (RuntimeException e) {
            log.warn("asynchronous change {} could not be published: {}", change.changeId(), e.getMessage());
            throw new ScimException(503, null, "the change could not be queued; retry later");
        }
        return published.handle((sent, failure) -> {
            if (failure != null) {
                log.warn("broker did not acknowledge asynchronous change {}: {}", change.changeId(), failure.getMessage());
                throw new CompletionException(new ScimException(503, null, "the change could not be queued; retry later"));
            }
            return ResponseEntity.accepted()
                    .header("Preference-Applied", "respond-async")
                    .header("Set-Txn", change.changeId().toString())
                    .header(HttpHeaders.LOCATION, location)
                    .<JsonNode>build();
        });
    }

    /**
     * Publishes an outcome decided by the ingress itself (an operation of an asynchronous bulk request refused before it
     * became a change) to {@code scim.outcomes}, where the events service reports it as a {@code misc:asyncresp} SET;
     * completes once the broker has it.
     */
    public CompletableFuture<Void> report(ChangeOutcome outcome) {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OUTCOMES, outcome.changeId().toString(),
                    EventCodec.encode(outcome));
            OutcomeHeaders.writeRespondAsync(outcome, record.headers());
            return kafka.send(record).thenApply(sent -> (Void) null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
