package dev.scimflow.events;

/** The SCIM write a change carries: POST, PUT, PATCH or DELETE. */
public enum ChangeOperation {
    CREATE, REPLACE, PATCH, DELETE
}
