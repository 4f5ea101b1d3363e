package dev.scimflow.ssf.token;

import static dev.scimflow.events.SecurityEventUris.ACTIVATE;
import static dev.scimflow.events.SecurityEventUris.ASYNC_RESPONSE;
import static dev.scimflow.events.SecurityEventUris.DEACTIVATE;
import static dev.scimflow.events.SecurityEventUris.DELETE;
import static dev.scimflow.events.SecurityEventUris.PREFIX;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The claims of the SET (RFC 8417) one fact on {@code scim.events} makes for one stream, as RFC 9967 profiles them:
 * {@code sub_id} of format {@code scim}, {@code txn} the change id, {@code toe} when the worker applied it, and one
 * {@code events} entry per event URI the stream asked for — a PATCH that deactivates a user is {@code prov:patch} and
 * {@code prov:deactivate} in one SET, as RFC 9967 §2.1 allows for events of one transaction. The {@code jti} is derived
 * from the stream and the event id, so every redelivery of the fact to the stream carries the same one.
 */
public final class ScimSets {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private ScimSets() {
    }

    /** The SET's {@code jti} for this event on this stream: the same for every delivery of it. */
    public static String jti(String streamId, UUID eventId) {
        return UUID.nameUUIDFromBytes((streamId + ":" + eventId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** The SET claims, or empty when the stream asked for none of the events this fact is. */
    public static Optional<ObjectNode> claims(ScimEvent event, Set<String> delivered, String issuer, String audience,
                                              String streamId, Instant issuedAt) {
        ObjectNode events = EventCodec.mapper().createObjectNode();
        String version = "W/\"" + event.version() + "\"";
        String action = switch (event.type()) {
            case CREATED -> "create";
            case REPLACED -> "put";
            case DELETED -> null;
            case PATCHED, RENAMED, MEMBERS_ADDED, MEMBERS_REMOVED -> "patch";
        };
        if (action == null) {
            if (delivered.contains(DELETE)) {
                events.putObject(DELETE);
            }
        } else if (delivered.contains(PREFIX + "prov:" + action + ":full")) {
            ObjectNode payload = events.putObject(PREFIX + "prov:" + action + ":full");
            payload.set("data", data(event));
            payload.put("version", version);
        } else if (delivered.contains(PREFIX + "prov:" + action + ":notice")) {
            ObjectNode payload = events.putObject(PREFIX + "prov:" + action + ":notice");
            ArrayNode attributes = payload.putArray("attributes");
            changedAttributes(event).forEach(attributes::add);
            payload.put("version", version);
        }
        if (event.deactivates() && delivered.contains(DEACTIVATE)) {
            events.putObject(DEACTIVATE);
        } else if (event.reactivates() && delivered.contains(ACTIVATE)) {
            events.putObject(ACTIVATE);
        }
        if (events.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode claims = EventCodec.mapper().createObjectNode();
        claims.put("jti", jti(streamId, event.eventId()));
        claims.put("iss", issuer);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("aud", audience);
        claims.put("txn", event.changeId() == null ? event.eventId().toString() : event.changeId().toString());
        claims.put("toe", (event.appliedAt() == null ? issuedAt : event.appliedAt()).getEpochSecond());
        claims.set("sub_id", subject(event));
        claims.set("events", events);
        return Optional.of(claims);
    }

    /**
     * The claims of the {@code misc:asyncresp} SET (RFC 9967 §2.5.1.3) that reports an asynchronous request's outcome to
     * a stream: {@code txn} is what the client got as {@code Set-Txn} (the change id; for an operation of a bulk request,
     * the bulk request's {@code Set-Txn}, a colon and the operation's index, RFC 9967 §2.5.1.2); the payload is the
     * request's method, the operation's {@code bulkId}, the resource's version and the status, and on failure the SCIM
     * error as {@code response}.
     */
    public static ObjectNode asyncResponse(ChangeOutcome outcome, String issuer, String audience, String streamId, Instant issuedAt) {
        ObjectNode claims = EventCodec.mapper().createObjectNode();
        claims.put("jti", UUID.nameUUIDFromBytes((streamId + ":" + outcome.changeId() + ":asyncresp")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        claims.put("iss", issuer);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("aud", audience);
        claims.put("txn", outcome.asyncTxn());
        ObjectNode subject = claims.putObject("sub_id");
        subject.put("format", "scim");
        subject.put("uri", (outcome.resourceType() == ResourceType.GROUP ? "/Groups/" : "/Users/") + outcome.resourceId());
        subject.put("id", outcome.resourceId());
        ObjectNode response = claims.putObject("events").putObject(ASYNC_RESPONSE);
        if (outcome.operation() != null) {
            response.put("method", switch (outcome.operation()) {
                case CREATE -> "POST";
                case REPLACE -> "PUT";
                case PATCH -> "PATCH";
                case DELETE -> "DELETE";
            });
        }
        if (outcome.bulkId() != null) {
            response.put("bulkId", outcome.bulkId());
        }
        if (outcome.succeeded() && outcome.version() > 0 && outcome.resource() != null) {
            response.put("version", "W/\"" + outcome.version() + "\"");
        }
        response.put("status", Integer.toString(outcome.status()));
        if (!outcome.succeeded()) {
            ObjectNode error = response.putObject("response");
            error.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:Error");
            if (outcome.scimType() != null) {
                error.put("scimType", outcome.scimType());
            }
            if (outcome.detail() != null) {
                error.put("detail", outcome.detail());
            }
            error.put("status", Integer.toString(outcome.status()));
        }
        return claims;
    }

    /** {@code {"format":"scim","uri":"/Users/<id>","id":..,"externalId":..}} (RFC 9967 §2.1). */
    static ObjectNode subject(ScimEvent event) {
        ObjectNode subject = EventCodec.mapper().createObjectNode();
        subject.put("format", "scim");
        subject.put("uri", (event.resourceType() == ResourceType.GROUP ? "/Groups/" : "/Users/") + event.resourceId());
        subject.put("id", event.resourceId());
        JsonNode snapshot = event.after() != null ? event.after() : event.before();
        JsonNode externalId = snapshot == null ? null : snapshot.get("externalId");
        if (externalId != null && externalId.isString()) {
            subject.put("externalId", externalId.asString());
        }
        return subject;
    }

    /**
     * The {@code data} of a full event: the resource as it is after the change (a group created with members lists them);
     * for a membership change, which carries no snapshot, the PATCH that makes it (as in RFC 9967's Figure 6).
     */
    static JsonNode data(ScimEvent event) {
        if (event.type() == EventType.MEMBERS_ADDED || event.type() == EventType.MEMBERS_REMOVED) {
            ObjectNode patch = EventCodec.mapper().createObjectNode();
            patch.putArray("schemas").add(PATCH_OP);
            ObjectNode operation = patch.putArray("Operations").addObject();
            operation.put("op", event.type() == EventType.MEMBERS_ADDED ? "add" : "remove");
            operation.put("path", "members");
            ArrayNode members = operation.putArray("value");
            // a nested group says so, as in a PATCH a client would send; users need no type
            boolean groups = event.memberTypeOrUser() == ResourceType.GROUP;
            (event.members() == null ? List.<String>of() : event.members()).forEach(id -> {
                ObjectNode member = members.addObject().put("value", id);
                if (groups) {
                    member.put("type", "Group");
                }
            });
            return patch;
        }
        ObjectNode after = event.after() == null ? EventCodec.mapper().createObjectNode() : (ObjectNode) event.after().deepCopy();
        if (event.type() == EventType.CREATED && event.members() != null && !event.members().isEmpty()) {
            ArrayNode members = after.putArray("members");
            event.members().forEach(id -> members.addObject().put("value", id));
        }
        return after;
    }

    /** The attributes a notice names: those of a new resource, or those whose value the change made different. */
    static List<String> changedAttributes(ScimEvent event) {
        Set<String> changed = new LinkedHashSet<>();
        switch (event.type()) {
            case MEMBERS_ADDED, MEMBERS_REMOVED -> changed.add("members");
            case CREATED -> {
                if (event.after() != null) {
                    event.after().propertyNames().forEach(changed::add);
                }
                if (event.members() != null && !event.members().isEmpty()) {
                    changed.add("members");
                }
            }
            default -> {
                Set<String> names = new LinkedHashSet<>();
                if (event.before() != null) {
                    event.before().propertyNames().forEach(names::add);
                }
                if (event.after() != null) {
                    event.after().propertyNames().forEach(names::add);
                }
                for (String name : names) {
                    JsonNode before = event.before() == null ? null : event.before().get(name);
                    JsonNode after = event.after() == null ? null : event.after().get(name);
                    if (!Objects.equals(before, after)) {
                        changed.add(name);
                    }
                }
            }
        }
        changed.remove("meta");
        changed.remove("schemas");
        return List.copyOf(changed);
    }
}
