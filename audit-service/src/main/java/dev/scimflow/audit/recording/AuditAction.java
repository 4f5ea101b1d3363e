package dev.scimflow.audit.recording;

/** What happened to the user's access: taken out of service, or put back into it. */
public enum AuditAction {
    DEACTIVATED, REACTIVATED
}
