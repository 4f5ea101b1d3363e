package dev.scimflow.events;

/**
 * What happened to a resource, in the past tense. For users: CREATED, REPLACED (PUT), PATCHED, DELETED, each
 * with full before/after snapshots. Groups use the same four for their own attributes (snapshots without
 * members; RENAMED instead of REPLACED or PATCHED when the displayName changed) and carry membership in
 * {@link ScimEvent#members()}: the initial user members with CREATED, the changed ones with MEMBERS_ADDED and
 * MEMBERS_REMOVED (users or nested groups, per {@link ScimEvent#memberType()}). A group's DELETED ends all its own
 * memberships without listing them; its removal from the groups that held it comes first, as MEMBERS_REMOVED of each.
 */
public enum EventType {
    CREATED, REPLACED, PATCHED, DELETED,
    /** A group's displayName (and maybe other attributes) changed; before and after are the group without members. */
    RENAMED,
    /**
     * Members joined a group; {@link ScimEvent#members()} lists them (at most {@link ScimEvent#MAX_MEMBERS} per event),
     * all users or all groups as {@link ScimEvent#memberType()} says.
     */
    MEMBERS_ADDED,
    /** Members left a group; {@link ScimEvent#members()} lists them, of {@link ScimEvent#memberType()} as for MEMBERS_ADDED. */
    MEMBERS_REMOVED
}
