package dev.scimflow.store;

/** Identifies one user of one tenant. */
public record UserKey(String tenant, String id) {
}
