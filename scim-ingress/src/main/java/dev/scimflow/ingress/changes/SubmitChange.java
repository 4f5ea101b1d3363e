package dev.scimflow.ingress.changes;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.Topics;
import dev.scimflow.ingress.IngressProperties;
import dev.scimflow.ingress.RequestIds;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.reads.ReadStores;
import dev.scimflow.scim.ScimException;
import dev.scimflow.store.AppliedChanges;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * Publishes a change and waits, bounded and without holding a request thread, for the worker's outcome.
 * Nothing is acknowledged before the broker has the change ({@code acks=all}); if the broker does not take
 * it, the IdP gets 503 and retries. If the outcome does not arrive in time, the applied-change table is asked
 * once more before answering 503: the change is safe in Kafka and will still be applied exactly once. How long a
 * request waited for its outcome, from publishing to knowing it, is {@code scimflow_ingress_outcome_wait_seconds}
 * ({@code result} {@code outcome}, or {@code timeout} for the 503s).
 */
@Service
public class SubmitChange {

    private static final Logger log = LoggerFactory.getLogger(SubmitChange.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final OutcomeReader outcomeReader;
    private final OutcomeWaiters outcomes;
    private final AppliedChanges appliedChanges;
    private final ReadStores reads;
    private final IngressProperties properties;
    private final Timer outcomeWait;
    private final Timer outcomeTimeout;
    private final Executor lookups = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "outcome-lookup");
        thread.setDaemon(true);
        return thread;
    });

    SubmitChange(KafkaTemplate<String, byte[]> kafka, OutcomeReader outcomeReader, OutcomeWaiters outcomes,
                 AppliedChanges appliedChanges, ReadStores reads, IngressProperties properties, MeterRegistry meters) {
        this.kafka = kafka;
        this.outcomeReader = outcomeReader;
        this.outcomes = outcomes;
        this.appliedChanges = appliedChanges;
        this.reads = reads;
        this.properties = properties;
        this.outcomeWait = outcomeWaitTimer(meters, "outcome");
        this.outcomeTimeout = outcomeWaitTimer(meters, "timeout");
    }

    /** A histogram, so that percentiles can be taken over all instances; buckets up to well past the outcome timeout. */
    private static Timer outcomeWaitTimer(MeterRegistry meters, String result) {
        return Timer.builder("scimflow.ingress.outcome.wait").tag("result", result)
                .description("from publishing a change to knowing its outcome (or answering 503 without one)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters);
    }

    /**
     * The change a request makes to a resource: its id from the request's {@code Idempotency-Key} (or a new one), the
     * caller's tenant, the token and client as its actor, accepted now.
     */
    public static ScimChange changeOf(HttpServletRequest request, ResourceType type, String id, ChangeOperation operation, JsonNode body,
                                      String ifMatch) {
        TokenPrincipal principal = BearerAuthentication.principal(request);
        return changeOf(IdempotencyKeys.changeId(request, principal.tenant()), principal.tenant(), actor(request),
                RequestIds.of(request), type, id, operation, body, ifMatch);
    }

    /** The change of one operation of a bulk request: its id as the bulk request derived it, the bulk request's actor. */
    public static ScimChange changeOf(UUID changeId, String tenant, Actor actor, String requestId, ResourceType type, String id,
                                      ChangeOperation operation, JsonNode body, String ifMatch) {
        return new ScimChange(changeId, tenant, type, id, operation, body, ifMatch, actor, requestId,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), ScimChange.SCHEMA_VERSION);
    }

    /** The caller's token and client, as a change records who made it. */
    public static Actor actor(HttpServletRequest request) {
        return new Actor(BearerAuthentication.principal(request).tokenId(), clientName(request));
    }

    private static String clientName(HttpServletRequest request) {
        String agent = request.getHeader(HttpHeaders.USER_AGENT);
        return agent == null ? null : agent.substring(0, Math.min(agent.length(), 200));
    }

    /**
     * A published change: {@code published} completes once the broker has it (or fails with a 503 when it does not take
     * it), {@code outcome} with the worker's outcome.
     */
    public record Submission(CompletableFuture<Void> published, CompletableFuture<ChangeOutcome> outcome) {
    }

    public CompletableFuture<ChangeOutcome> submit(ScimChange change) {
        return publish(change).outcome();
    }

    public Submission publish(ScimChange change) {
        if (!outcomeReader.ready()) {
            throw new ScimException(503, null, "the service is starting or cannot read outcomes; retry later");
        }
        CompletableFuture<ChangeOutcome> outcome = outcomes.expect(change.changeId());
        long started = System.nanoTime();
        CompletableFuture<?> sent;
        try {
            sent = kafka.send(Topics.CHANGES, change.key(), EventCodec.encode(change));
        } catch (RuntimeException e) {
            outcomes.forget(change.changeId());
            log.warn("change {} could not be published: {}", change.changeId(), e.getMessage());
            throw unavailable();
        }
        CompletableFuture<Void> published = sent.handle((result, failure) -> {
            if (failure != null) {
                outcomes.forget(change.changeId());
                log.warn("broker did not acknowledge change {}: {}", change.changeId(), failure.getMessage());
                throw new CompletionException(unavailable());
            }
            return null;
        });
        return new Submission(published, published
                .thenCompose(acknowledged -> outcome.orTimeout(properties.outcomeTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .exceptionallyAsync(e -> recordedOutcome(change, e, started), lookups)
                .thenApply(known -> {
                    outcomeWait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    return known;
                }));
    }

    private ChangeOutcome recordedOutcome(ScimChange change, Throwable failure, long started) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ScimException scim) {
            throw scim;
        }
        outcomes.forget(change.changeId());
        ChangeOutcome recorded = appliedChanges.outcome(change.changeId())
                .map(json -> EventCodec.mapper().readValue(json, ChangeOutcome.class))
                .filter(outcome -> outcome.changeId() != null)
                .orElseThrow(() -> {
                    outcomeTimeout.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    log.warn("no outcome for change {} within {}; answering 503", change.changeId(), properties.outcomeTimeout());
                    return new ScimException(503, null, "the change was accepted but not applied in time; retry later");
                });
        reads.writtenOnPrimary(change.tenant());
        return recorded;
    }

    private static ScimException unavailable() {
        return new ScimException(503, null, "the change could not be queued; retry later");
    }
}
