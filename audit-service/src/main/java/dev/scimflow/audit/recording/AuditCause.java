package dev.scimflow.audit.recording;

import java.util.Optional;

import dev.scimflow.events.EventType;

/** The SCIM request that changed a user's access: PATCH, PUT (a full replace) or DELETE. */
enum AuditCause {
    PATCH,
    PUT,
    DELETE;

    /** The cause of a fact; none for a creation, which cannot change the access of an existing user. */
    static Optional<AuditCause> of(EventType type) {
        return switch (type) {
            case PATCHED -> Optional.of(PATCH);
            case REPLACED -> Optional.of(PUT);
            case DELETED -> Optional.of(DELETE);
            case CREATED -> Optional.empty();
        };
    }
}
