package dev.scimflow.audit.recording;

import java.util.Optional;

import dev.scimflow.events.EventType;

/** The SCIM request that changed a user's access: PATCH, PUT (a full replace) or DELETE. */
public enum AuditCause {
    PATCH, PUT, DELETE;

    /** The cause of a fact; none for a creation, which cannot change the access of an existing user. */
    static Optional<AuditCause> of(EventType type) {
        return switch (type) {
            case PATCHED -> Optional.of(PATCH);
            case REPLACED -> Optional.of(PUT);
            case DELETED -> Optional.of(DELETE);
            // group facts never change a user's access (deactivates() is false for them)
            case CREATED, RENAMED, MEMBERS_ADDED, MEMBERS_REMOVED -> Optional.empty();
        };
    }
}
