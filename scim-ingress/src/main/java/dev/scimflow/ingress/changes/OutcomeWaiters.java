package dev.scimflow.ingress.changes;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;

/**
 * The requests of this instance waiting for their change's outcome, by change id: {@link SubmitChange} registers a
 * change before publishing it, {@link OutcomeReader} completes it when the worker's outcome arrives, and the request
 * forgets it when it stops waiting (broker refused, timeout).
 */
@Component
class OutcomeWaiters {

    private final Map<UUID, CompletableFuture<ChangeOutcome>> waiting = new ConcurrentHashMap<>();

    /** Registers interest in a change's outcome; call before publishing the change. */
    CompletableFuture<ChangeOutcome> expect(UUID changeId) {
        return waiting.computeIfAbsent(changeId, id -> new CompletableFuture<>());
    }

    void forget(UUID changeId) {
        waiting.remove(changeId);
    }

    /** Completes the change's request if one of this instance waits for it; decodes the outcome only then. */
    void complete(UUID changeId, Supplier<ChangeOutcome> outcome) {
        CompletableFuture<ChangeOutcome> future = waiting.remove(changeId);
        if (future != null) {
            future.complete(outcome.get());
        }
    }

    int size() {
        return waiting.size();
    }
}
