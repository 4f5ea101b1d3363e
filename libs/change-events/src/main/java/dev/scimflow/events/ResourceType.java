package dev.scimflow.events;

/** The SCIM resource types a change or event is about. */
public enum ResourceType {
    USER, GROUP
}
