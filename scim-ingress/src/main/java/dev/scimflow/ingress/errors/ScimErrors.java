package dev.scimflow.ingress.errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.scimflow.ingress.RequestIds;
import dev.scimflow.ingress.TraceIds;
import dev.scimflow.ingress.limits.RequestBodyLimit;
import dev.scimflow.ingress.limits.StoreOutages;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one mapping from failures to SCIM error responses. Nothing internal (stack traces, SQL, class names)
 * reaches the client: an unexpected failure is a 500 that names only the request id to look up in the logs.
 */
@RestControllerAdvice
class ScimErrors {

    private static final Logger log = LoggerFactory.getLogger(ScimErrors.class);

    private final ScimErrorWriter writer;

    ScimErrors(ScimErrorWriter writer) {
        this.writer = writer;
    }

    @ExceptionHandler(ScimException.class)
    ResponseEntity<ObjectNode> scim(ScimException e) {
        return writer.toResponse(e);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ObjectNode> unreadable(HttpMessageNotReadableException e) {
        if (bodyTooLarge(e) instanceof RequestBodyLimit.BodyTooLarge tooLarge) {
            return writer.toResponse(ScimException.payloadTooLarge(tooLarge.getMessage()));
        }
        return writer.toResponse(ScimException.invalidSyntax("the request body is not valid JSON"));
    }

    @ExceptionHandler({NoResourceFoundException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<ObjectNode> notFound(Exception e) {
        return writer.toResponse(ScimException.notFound("no such resource"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ObjectNode> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return writer.toResponse(new ScimException(405, null, "method " + e.getMethod() + " is not supported here"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ObjectNode> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return writer.toResponse(new ScimException(415, null, "send application/scim+json or application/json"));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ObjectNode> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return writer.toResponse(new ScimException(406, null, "responses are application/scim+json"));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ObjectNode> missingHeader(MissingRequestHeaderException e) {
        return writer.toResponse(ScimException.invalidSyntax("missing header " + e.getHeaderName()));
    }

    /**
     * The user store unreachable while a controller reads it (the token was still in the token cache, so
     * {@link StoreOutages} did not meet the outage first): a transient outage, answered as that filter does.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ObjectNode> storeUnavailable(Exception e) {
        log.warn("user store unavailable, answering 503: {}", e.getMessage());
        return writer.toResponse(new ScimException(503, null, "the service is temporarily unavailable; retry later"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ObjectNode> unexpected(Exception e, HttpServletRequest request) {
        if (bodyTooLarge(e) instanceof RequestBodyLimit.BodyTooLarge tooLarge) {
            return writer.toResponse(ScimException.payloadTooLarge(tooLarge.getMessage()));
        }
        log.error("request {} failed", RequestIds.of(request), e);
        return writer.toResponse(new ScimException(500, null, TraceIds.requestFailed(request)));
    }

    /** The body limit's failure, wherever in the cause chain the framework wrapped it; null when it is not one. */
    private static Throwable bodyTooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimit.BodyTooLarge) {
                return cause;
            }
        }
        return null;
    }
}
