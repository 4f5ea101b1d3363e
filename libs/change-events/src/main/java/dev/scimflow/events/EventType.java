package dev.scimflow.events;

/** What happened to a resource, in the past tense. */
public enum EventType {
    CREATED,
    REPLACED,
    PATCHED,
    DELETED
}
