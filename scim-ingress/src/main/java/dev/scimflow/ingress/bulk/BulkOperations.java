package dev.scimflow.ingress.bulk;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.ingress.RequestIds;
import dev.scimflow.ingress.ResourceLinks;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.changes.AsyncRequests;
import dev.scimflow.ingress.changes.ChangeBodies;
import dev.scimflow.ingress.changes.IdempotencyKeys;
import dev.scimflow.ingress.changes.SubmitChange;
import dev.scimflow.ingress.groups.GroupReads;
import dev.scimflow.ingress.limits.RequestLimits;
import dev.scimflow.ingress.users.UserReads;
import dev.scimflow.scim.BulkOperation;
import dev.scimflow.scim.BulkPlan;
import dev.scimflow.scim.BulkRequest;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Performs the operations of a bulk request, each as the request of its own it stands for: validated by the same
 * {@link ChangeBodies}, published and answered by the same {@link SubmitChange} (one change on {@code scim.changes},
 * the worker's outcome, the same guarantees and the same audit). {@link BulkExecution} decides when each may run.
 */
@Service
class BulkOperations {

    private final SubmitChange submitChange;
    private final AsyncRequests asyncRequests;
    private final ChangeBodies bodies;
    private final RequestLimits limits;
    /** Where outcomes are turned into the next operations: never the outcome reader's own thread. */
    private final Executor completions = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "bulk-operations");
        thread.setDaemon(true);
        return thread;
    });

    BulkOperations(SubmitChange submitChange, AsyncRequests asyncRequests, ChangeBodies bodies, RequestLimits limits) {
        this.submitChange = submitChange;
        this.asyncRequests = asyncRequests;
        this.bodies = bodies;
        this.limits = limits;
    }

    /**
     * Who sends the bulk request and the ids its operations get, worked out on the request's thread: the change id of
     * each operation and the id of the resource each POST creates (from the {@code Idempotency-Key}, so that a retried
     * bulk is the same set of changes), and the URLs of resources.
     */
    record Caller(String tenant, Actor actor, String requestId, ResourceLinks links, UUID[] changeIds, Map<String, String> newIds,
                  String[] resourceIds) {

        static Caller of(HttpServletRequest request, BulkRequest bulk) {
            String tenant = BearerAuthentication.principal(request).tenant();
            int size = bulk.operations().size();
            UUID[] changeIds = new UUID[size];
            String[] resourceIds = new String[size];
            Map<String, String> newIds = new HashMap<>();
            for (BulkOperation operation : bulk.operations()) {
                UUID[] ids = IdempotencyKeys.bulkOperation(request, tenant, operation.index());
                changeIds[operation.index()] = ids[0];
                if (operation.isPost()) {
                    resourceIds[operation.index()] = ids[1].toString();
                    if (operation.bulkId() != null) {
                        newIds.put(operation.bulkId(), ids[1].toString());
                    }
                }
            }
            return new Caller(tenant, SubmitChange.actor(request), RequestIds.of(request), ResourceLinks.current(), changeIds,
                    Map.copyOf(newIds), resourceIds);
        }
    }

    /**
     * The answer: 200 with the BulkResponse once every operation that is performed has its outcome; or, when the client
     * asks {@code Prefer: respond-async} (RFC 9967 §2.5.1.2), 202 with a {@code Set-Txn} once the broker has every
     * operation (see {@link BulkExecution}).
     */
    CompletableFuture<ResponseEntity<JsonNode>> perform(BulkRequest bulk, HttpServletRequest request) {
        Caller caller = Caller.of(request, bulk);
        String txn = AsyncRequests.requested(request) ? IdempotencyKeys.changeId(request, caller.tenant()).toString() : null;
        BulkExecution execution = new BulkExecution(bulk, BulkPlan.of(bulk), caller, this, txn);
        execution.run();
        return execution.answer();
    }

    /** An operation's change, validated as its endpoint validates a request; a ScimException says what is wrong. */
    ScimChange changeOf(BulkOperation operation, Caller caller) {
        BulkOperation.Target target = operation.target();
        ResourceType type = resourceTypeOf(target);
        boolean users = type == ResourceType.USER;
        String id = operation.isPost() ? caller.resourceIds()[operation.index()] : target.id();
        if (!(users ? UserReads.isWellFormedId(id) : GroupReads.isWellFormedId(id))) {
            throw ScimException.notFound((users ? "User " : "Group ") + id + " not found");
        }
        ChangeOperation change = operationOf(operation.method());
        JsonNode body = change == ChangeOperation.DELETE ? null : switch (change) {
            case CREATE, REPLACE -> users ? bodies.user(data(operation)) : bodies.group(data(operation));
            default -> users ? bodies.userPatch(patchData(operation)) : bodies.groupPatch(patchData(operation));
        };
        return SubmitChange.changeOf(caller.changeIds()[operation.index()], caller.tenant(), caller.actor(), caller.requestId(),
                type, id, change, body, operation.version());
    }

    /** The type of the resource an operation's path names. */
    static ResourceType resourceTypeOf(BulkOperation.Target target) {
        return target.endpoint().equals("Users") ? ResourceType.USER : ResourceType.GROUP;
    }

    /** The change a bulk operation's method makes. */
    static ChangeOperation operationOf(String method) {
        return switch (method) {
            case "POST" -> ChangeOperation.CREATE;
            case "PUT" -> ChangeOperation.REPLACE;
            case "PATCH" -> ChangeOperation.PATCH;
            default -> ChangeOperation.DELETE;
        };
    }

    /** The operation's data, held to the limit of a request's body: each operation becomes one Kafka record. */
    private JsonNode data(BulkOperation operation) {
        if (!(operation.data() instanceof ObjectNode data)) {
            throw ScimException.invalidSyntax("a " + operation.method() + " operation needs data, a JSON object");
        }
        long limit = limits.maxBodySize().toBytes();
        if (EventCodec.mapper().writeValueAsBytes(data).length > limit) {
            throw ScimException.payloadTooLarge("an operation's data is larger than " + limit + " bytes");
        }
        return data;
    }

    /**
     * A PATCH operation's data as the PatchOp request it stands for. RFC 7644's bulk examples, and clients such as the
     * UnboundID SDK, send {@code {"Operations":[...]}} without {@code schemas}, some clients the bare array of
     * operations: both are the PatchOp message they abbreviate.
     */
    private JsonNode patchData(BulkOperation operation) {
        if (operation.data() instanceof ArrayNode operations) {
            ObjectNode patch = JsonNodeFactory.instance.objectNode();
            patch.putArray("schemas").add(ScimSchemas.PATCH_OP);
            patch.set("Operations", operations);
            return data(new BulkOperation(operation.index(), operation.method(), operation.bulkId(), operation.path(),
                    operation.version(), patch));
        }
        ObjectNode data = (ObjectNode) data(operation);
        if (data.propertyNames().stream().noneMatch(name -> name.equalsIgnoreCase("schemas"))) {
            ObjectNode patch = data.deepCopy();
            patch.putArray("schemas").add(ScimSchemas.PATCH_OP);
            return patch;
        }
        return data;
    }

    SubmitChange.Submission publish(ScimChange change) {
        return submitChange.publish(change);
    }

    CompletableFuture<Void> report(ChangeOutcome outcome) {
        return asyncRequests.report(outcome);
    }

    Executor completions() {
        return completions;
    }
}
