package dev.scimflow.events;

/**
 * What happened to a resource, in the past tense. For users: CREATED, REPLACED (PUT), PATCHED, DELETED, each
 * with full before/after snapshots. Groups use the same four for their own attributes (snapshots without
 * members; RENAMED instead of REPLACED or PATCHED when the displayName changed) and carry membership in
 * {@link ScimEvent#members()}: the initial members with CREATED, the changed ones with MEMBERS_ADDED and
 * MEMBERS_REMOVED. A group's DELETED ends all its memberships without listing them.
 */
public enum EventType {
    CREATED,
    REPLACED,
    PATCHED,
    DELETED,
    /** A group's displayName (and maybe other attributes) changed; before and after are the group without members. */
    RENAMED,
    /** Users joined a group; {@link ScimEvent#members()} lists them (at most {@link ScimEvent#MAX_MEMBERS} per event). */
    MEMBERS_ADDED,
    /** Users left a group; {@link ScimEvent#members()} lists them (at most {@link ScimEvent#MAX_MEMBERS} per event). */
    MEMBERS_REMOVED
}
