package dev.scimflow.audit.recording;

/** What happened to the user's access: taken out of service, or put back into it. */
enum AuditAction {
    DEACTIVATED,
    REACTIVATED
}
