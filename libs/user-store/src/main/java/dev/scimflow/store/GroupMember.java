package dev.scimflow.store;

/** One member of a group as reads render it: the user's id and its display name (displayName, else userName). */
public record GroupMember(String userId, String display) {
}
