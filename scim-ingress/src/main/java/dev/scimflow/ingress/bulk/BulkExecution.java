package dev.scimflow.ingress.bulk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.ingress.ScimMediaType;
import dev.scimflow.ingress.changes.SubmitChange;
import dev.scimflow.scim.BulkOperation;
import dev.scimflow.scim.BulkPlan;
import dev.scimflow.scim.BulkRequest;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.scim.ScimUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One bulk request being performed. Every operation whose turn has come is published at once, and the outcomes are
 * awaited together, so that a thousand independent creates cost the broker and the worker what a thousand concurrent
 * requests cost; an operation that needs another (a bulkId it names, an earlier operation on the same resource,
 * {@link BulkPlan}) is published only once that one has its outcome.
 *
 * <p>{@code failOnErrors} is honoured as if the operations ran one after the other in {@link BulkPlan#order()}: an
 * operation starts only while the errors so far plus the operations before it still undecided stay under the limit, so
 * none runs that a sequential run would have left out; once the limit is reached nothing more starts, and the response
 * lists the operations that were performed (RFC 7644 §3.7.3).
 *
 * <p>Asked {@code Prefer: respond-async} (RFC 9967 §2.5.1.2), it answers 202 with {@code Set-Txn: T} as soon as no
 * operation can still start and the broker has every one that did — at once for independent operations, after the
 * outcomes they wait for otherwise — so that nothing acknowledged exists only in this process. Each operation is then a
 * change marked asynchronous with {@code txn} {@code T:index} and its {@code bulkId}, whose outcome the events service
 * reports as a {@code misc:asyncresp} SET; an operation refused here (invalid, its bulkId's creator failed, out of time)
 * has its outcome published by the ingress so that it is reported the same way. Operations that {@code failOnErrors}
 * leaves out are not performed and get no SET. Should the broker not take a change or such an outcome, the request is
 * answered synchronously instead, with the whole BulkResponse.
 */
final class BulkExecution {

    private static final Logger log = LoggerFactory.getLogger(BulkExecution.class);

    /**
     * Operations not started this long after the request are answered 503 without being performed: with the outcome
     * wait (10 s) the answer still comes before the servlet container's asynchronous timeout (60 s).
     */
    static final Duration DEADLINE = Duration.ofSeconds(45);

    private final BulkRequest request;
    private final BulkPlan plan;
    private final BulkOperations.Caller caller;
    private final BulkOperations operations;
    private final ObjectNode[] results;
    private final boolean[] failed;
    private final boolean[] started;
    private final long deadline = System.nanoTime() + DEADLINE.toNanos();
    private final CompletableFuture<JsonNode> response = new CompletableFuture<>();
    /** The asynchronous request's {@code Set-Txn}, or null when the client waits for the BulkResponse. */
    private final String txn;
    /** Asynchronous: the operations' changes and the ingress's own outcomes, each done once the broker has it. */
    private final List<CompletableFuture<Void>> published = new ArrayList<>();
    private final CompletableFuture<ResponseEntity<JsonNode>> answer = new CompletableFuture<>();
    /** Asynchronous, but the broker did not take something: answered synchronously. */
    private boolean fallenBack;
    private int errors;
    private int running;

    BulkExecution(BulkRequest request, BulkPlan plan, BulkOperations.Caller caller, BulkOperations operations, String txn) {
        this.request = request;
        this.plan = plan;
        this.caller = caller;
        this.operations = operations;
        this.txn = txn;
        int size = request.operations().size();
        this.results = new ObjectNode[size];
        this.failed = new boolean[size];
        this.started = new boolean[size];
    }

    /** 200 with the BulkResponse, or 202 for an asynchronous request once every operation is queued. */
    CompletableFuture<ResponseEntity<JsonNode>> answer() {
        if (txn == null) {
            response.thenAccept(body -> answer.complete(ok(body)));
        }
        return answer;
    }

    private static ResponseEntity<JsonNode> ok(JsonNode body) {
        return ResponseEntity.ok().contentType(ScimMediaType.SCIM_JSON).body(body);
    }

    /** Starts every operation that may start now; called first and after each outcome. Answers when nothing more will run. */
    synchronized void run() {
        if (response.isDone()) {
            return;
        }
        Integer failOnErrors = request.failOnErrors();
        int undecidedBefore = 0;
        for (int index : plan.order()) {
            if (results[index] != null) {
                continue;
            }
            if (started[index]) {
                undecidedBefore++;
                continue;
            }
            if (failOnErrors != null && errors + undecidedBefore >= failOnErrors) {
                break;
            }
            BulkOperation operation = request.operations().get(index);
            if (plan.refusal(index).isPresent()) {
                fail(operation, plan.refusal(index).get());
            } else if (plan.needs(index).stream().anyMatch(needed -> results[needed] != null && failed[needed])) {
                int needed = plan.needs(index).stream().filter(n -> failed[n]).findFirst().orElseThrow();
                fail(operation, new ScimException(409, null, BulkOperation.REFERENCE_PREFIX + request.operations().get(needed).bulkId()
                        + " cannot be used: operation " + needed + ", which creates it, failed"));
            } else if (plan.needs(index).stream().anyMatch(needed -> results[needed] == null)
                    || plan.after(index).stream().anyMatch(previous -> results[previous] == null)) {
                undecidedBefore++;
            } else if (System.nanoTime() > deadline) {
                fail(operation, new ScimException(503, null,
                        "the bulk request ran out of time before this operation was performed; send it again"));
            } else {
                start(operation);
                if (results[index] == null) {
                    undecidedBefore++;
                }
            }
        }
        if (running == 0) {
            response.complete(bulkResponse());
        }
        acceptOnceQueued();
    }

    /**
     * Asynchronous: once no operation can still start and the broker has answered for everything published, 202 — or,
     * when it did not take something, the synchronous answer once every outcome is in.
     */
    private synchronized void acceptOnceQueued() {
        if (txn == null || answer.isDone() || fallenBack) {
            return;
        }
        Integer failOnErrors = request.failOnErrors();
        boolean cutOff = failOnErrors != null && errors >= failOnErrors;
        for (int index = 0; index < results.length; index++) {
            if (!started[index] && results[index] == null && !cutOff) {
                return;
            }
        }
        if (!published.stream().allMatch(CompletableFuture::isDone)) {
            return;
        }
        if (published.stream().anyMatch(CompletableFuture::isCompletedExceptionally)) {
            fallenBack = true;
            response.thenAccept(body -> answer.complete(ok(body)));
        } else {
            answer.complete(accepted());
        }
    }

    private ResponseEntity<JsonNode> accepted() {
        return ResponseEntity.accepted().header("Preference-Applied", "respond-async").header("Set-Txn", txn).build();
    }

    private void whenPublished(CompletableFuture<Void> publication) {
        published.add(publication);
        publication.whenCompleteAsync((sent, failure) -> acceptOnceQueued(), operations.completions());
    }

    private void start(BulkOperation sent) {
        BulkOperation operation = sent.resolved(caller.newIds());
        ScimChange change;
        CompletableFuture<ChangeOutcome> outcome;
        CompletableFuture<Void> queued;
        try {
            change = txn == null
                    ? operations.changeOf(operation, caller)
                    : operations.changeOf(operation, caller).asynchronousBulkOperation(txn, operation.index(), operation.bulkId());
            SubmitChange.Submission submission = operations.publish(change);
            outcome = submission.outcome();
            queued = submission.published();
            if (txn != null) {
                whenPublished(queued);
            }
        } catch (ScimException e) {
            fail(operation, e);
            return;
        } catch (RuntimeException e) {
            log.error("operation {} of bulk request {} failed", operation.index(), caller.requestId(), e);
            fail(operation, new ScimException(500, null, "the operation failed; request id " + caller.requestId()));
            return;
        }
        started[operation.index()] = true;
        running++;
        outcome.whenCompleteAsync((result, failure) -> completed(operation, change, queued, result, failure), operations.completions());
    }

    /**
     * An operation's outcome. A change the broker took has its outcome reported by the worker (to an asynchronous
     * request's streams too), even one this request stopped waiting for; only a change the broker refused is reported here.
     */
    private void completed(BulkOperation operation, ScimChange change, CompletableFuture<Void> queued, ChangeOutcome outcome,
                           Throwable failure) {
        synchronized (this) {
            running--;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                ScimException error = cause instanceof ScimException scim
                        ? scim
                        : new ScimException(500, null, "the operation failed; request id " + caller.requestId());
                if (queued.isCompletedExceptionally()) {
                    fail(operation, error);
                } else {
                    recordFailure(operation, error);
                }
            } else if (!outcome.succeeded()) {
                recordFailure(operation, new ScimException(outcome.status(), outcome.scimType(), outcome.detail()));
            } else {
                ObjectNode result = result(operation, outcome.status());
                result.put("location", location(change.resourceType(), change.resourceId()));
                if (outcome.resource() != null) {
                    result.put("version", ScimUsers.etag(outcome.version()));
                }
                results[operation.index()] = result;
            }
        }
        run();
    }

    /** An operation refused here, or whose change the broker did not take; reported to an asynchronous request's streams. */
    private void fail(BulkOperation operation, ScimException error) {
        recordFailure(operation, error);
        if (txn != null) {
            whenPublished(operations.report(refusal(operation, error)));
        }
    }

    private void recordFailure(BulkOperation operation, ScimException error) {
        ObjectNode result = result(operation, error.status());
        String location = failureLocation(operation);
        if (location != null) {
            result.put("location", location);
        }
        result.set("response", error.toJson());
        results[operation.index()] = result;
        failed[operation.index()] = true;
        errors++;
    }

    /** The outcome of an operation refused here, as the events service reports it (RFC 9967 §2.5.1.3). */
    private ChangeOutcome refusal(BulkOperation operation, ScimException error) {
        Optional<BulkOperation.Target> target = target(operation);
        ResourceType type = target.map(BulkOperations::resourceTypeOf).orElse(null);
        String id = operation.isPost() ? caller.resourceIds()[operation.index()] : target.map(BulkOperation.Target::id).orElse(null);
        return new ChangeOutcome(caller.changeIds()[operation.index()], caller.tenant(), id, error.status(), 0, null, error.scimType(),
                error.detail(), BulkOperations.operationOf(operation.method()), type, true, txn + ":" + operation.index(),
                operation.bulkId());
    }

    /** The resource the operation's path names, bulkIds resolved; none when the path names no resource. */
    private Optional<BulkOperation.Target> target(BulkOperation operation) {
        try {
            return Optional.of(operation.resolved(caller.newIds()).target());
        } catch (ScimException e) {
            return Optional.empty();
        }
    }

    private ObjectNode result(BulkOperation operation, int status) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("method", operation.method());
        if (operation.bulkId() != null) {
            result.put("bulkId", operation.bulkId());
        }
        result.put("status", String.valueOf(status));
        return result;
    }

    /** RFC 7644 §3.7: a failed operation has the location of its resource, except a failed POST (there is none). */
    private String failureLocation(BulkOperation operation) {
        if (operation.isPost()) {
            return null;
        }
        return target(operation).map(target -> location(BulkOperations.resourceTypeOf(target), target.id())).orElse(null);
    }

    private String location(ResourceType type, String id) {
        return type == ResourceType.USER ? caller.links().user(id) : caller.links().group(id);
    }

    /** The operations performed, in request order. */
    private JsonNode bulkResponse() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("schemas").add(ScimSchemas.BULK_RESPONSE);
        ArrayNode performed = body.putArray("Operations");
        java.util.Arrays.stream(results).filter(java.util.Objects::nonNull).forEach(performed::add);
        return body;
    }
}
