package dev.scimflow.audit.recording;

/**
 * A record on {@code scim.events} that is not a usable event: not JSON, not an event, or missing what the
 * audit log is keyed by. Retrying cannot help, so the error handler logs and skips it at once.
 */
class UndecodableEvent extends RuntimeException {

    UndecodableEvent(String message) {
        super(message);
    }

    UndecodableEvent(String message, Throwable cause) {
        super(message, cause);
    }
}
