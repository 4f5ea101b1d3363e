package dev.scimflow.audit.api;

/** An operator's query the audit log cannot answer, e.g. a limit below 1; answered with 400. */
public class InvalidQuery extends RuntimeException {

    public InvalidQuery(String message) {
        super(message);
    }
}
