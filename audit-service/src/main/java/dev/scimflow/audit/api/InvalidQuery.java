package dev.scimflow.audit.api;

/** An operator's query the audit log cannot answer, e.g. a limit below 1; answered with 400. */
class InvalidQuery extends RuntimeException {

    InvalidQuery(String message) {
        super(message);
    }
}
