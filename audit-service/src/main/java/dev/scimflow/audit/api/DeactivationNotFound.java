package dev.scimflow.audit.api;

/** No audit entry has the id an operator asked for; answered with 404. */
class DeactivationNotFound extends RuntimeException {

    DeactivationNotFound(String id) {
        super("no deactivation with id " + id);
    }
}
