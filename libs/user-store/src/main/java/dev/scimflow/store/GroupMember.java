package dev.scimflow.store;

import dev.scimflow.scim.MemberType;

/**
 * One member of a group as reads render it: its id, its display name (a user's displayName, else userName; a group's
 * displayName) and whether it is a user or a nested group.
 */
public record GroupMember(String id, String display, MemberType type) {

    /** A user member. */
    public GroupMember(String id, String display) {
        this(id, display, MemberType.USER);
    }
}
