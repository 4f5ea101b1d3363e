package dev.scimflow.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A fact the worker applied, published to {@link Topics#EVENTS} through the outbox. It carries the full
 * resource before and after (each with id and meta), so consumers need no other source: the audit log and
 * a rebuilt user store are derived from these alone.
 *
 * @param version   the resource version after the change (for DELETED, the last version it had)
 * @param before    the resource before the change, null for CREATED and for membership events
 * @param after     the resource after the change, null for DELETED and for membership events
 * @param changedAt when the ingress accepted the change
 * @param appliedAt when the worker wrote it, in the transaction that applied the change (just before its commit)
 * @param members   for groups only: the ids of the members that joined (CREATED, MEMBERS_ADDED) or left
 *                  (MEMBERS_REMOVED) the group, at most {@link #MAX_MEMBERS}; a larger change is several events. Null
 *                  otherwise.
 * @param memberType for groups' membership events: what {@code members} are, {@link ResourceType#USER} or
 *                  {@link ResourceType#GROUP} (a nested group). One event holds members of one type; null on events
 *                  written before groups could hold groups, which hold users ({@link #memberTypeOrUser()}).
 */
public record ScimEvent(
                        UUID eventId,
                        UUID changeId,
                        String tenant,
                        ResourceType resourceType,
                        String resourceId,
                        EventType type,
                        long version,
                        JsonNode before,
                        JsonNode after,
                        Actor actor,
                        String requestId,
                        Instant changedAt,
                        Instant appliedAt,
                        int schemaVersion,
                        List<String> members,
                        ResourceType memberType) {

    public static final int SCHEMA_VERSION = 1;

    /** The most member ids one event carries: 5,000 UUIDs are about 200 KB, well under Kafka's 1 MB default. */
    public static final int MAX_MEMBERS = 5_000;

    /** A JSON {@code null} snapshot (as decoded from the wire) is no snapshot. */
    public ScimEvent {
        before = before == null || before.isNull() ? null : before;
        after = after == null || after.isNull() ? null : after;
        members = members == null ? null : List.copyOf(members);
    }

    /** An event whose members, if any, are users. */
    public ScimEvent(UUID eventId, UUID changeId, String tenant, ResourceType resourceType, String resourceId, EventType type,
                     long version, JsonNode before, JsonNode after, Actor actor, String requestId, Instant changedAt, Instant appliedAt,
                     int schemaVersion, List<String> members) {
        this(eventId, changeId, tenant, resourceType, resourceId, type, version, before, after, actor, requestId, changedAt,
                appliedAt, schemaVersion, members, members == null ? null : ResourceType.USER);
    }

    /** An event without member ids: every user event, and group events about the group's own attributes. */
    public ScimEvent(UUID eventId, UUID changeId, String tenant, ResourceType resourceType, String resourceId, EventType type,
                     long version, JsonNode before, JsonNode after, Actor actor, String requestId, Instant changedAt, Instant appliedAt,
                     int schemaVersion) {
        this(eventId, changeId, tenant, resourceType, resourceId, type, version, before, after, actor, requestId, changedAt,
                appliedAt, schemaVersion, null, null);
    }

    /** What the {@link #members()} of this event are: users unless it says groups. */
    public ResourceType memberTypeOrUser() {
        return memberType == null ? ResourceType.USER : memberType;
    }

    public String key() {
        return Topics.resourceKey(tenant, resourceId);
    }

    /** This event as written at {@code at}. */
    public ScimEvent appliedAt(Instant at) {
        return new ScimEvent(eventId, changeId, tenant, resourceType, resourceId, type, version, before, after, actor, requestId,
                changedAt, at, schemaVersion, members, memberType);
    }

    /** True when this fact takes an active user out of service: active true to false, or DELETE of an active user. */
    public boolean deactivates() {
        if (resourceType != ResourceType.USER || before == null) {
            return false;
        }
        return isActive(before) && (type == EventType.DELETED || !isActive(after));
    }

    /** True when this fact puts an inactive user back into service (active false to true). */
    public boolean reactivates() {
        return resourceType == ResourceType.USER && before != null && after != null
                && !isActive(before) && isActive(after);
    }

    /** SCIM's {@code active} defaults to true when a user does not carry it. */
    static boolean isActive(JsonNode user) {
        JsonNode active = user == null ? null : user.get("active");
        return active == null || active.isNull() || active.asBoolean(true);
    }
}
