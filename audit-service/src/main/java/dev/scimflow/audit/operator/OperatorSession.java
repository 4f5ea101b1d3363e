package dev.scimflow.audit.operator;

/**
 * A signed-in operator of the web page: the session id held by the browser's cookie, and the synchronizer token
 * that every form posted in this session must carry.
 */
public record OperatorSession(String id, String csrfToken) {

    /** The request attribute a signed-in page request carries its session in. */
    public static final String ATTRIBUTE = "dev.scimflow.audit.operator.OperatorSession";
}
