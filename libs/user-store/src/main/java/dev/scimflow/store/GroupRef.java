package dev.scimflow.store;

/** One group of a user, for the user's read-only {@code groups} attribute: the group's id and displayName. */
public record GroupRef(String value, String display) {
}
