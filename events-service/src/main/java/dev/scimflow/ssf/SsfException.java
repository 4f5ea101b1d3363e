package dev.scimflow.ssf;

/**
 * A request the service refuses, answered with {@code status} and the error body of RFC 8936 §2.4.4
 * ({@code {"err": ..., "description": ...}}), which the stream-management endpoints use as well.
 */
public class SsfException extends RuntimeException {

    private final int status;
    private final String err;

    public SsfException(int status, String err, String description) {
        super(description);
        this.status = status;
        this.err = err;
    }

    public static SsfException invalidRequest(String description) {
        return new SsfException(400, "invalid_request", description);
    }

    public static SsfException notFound(String description) {
        return new SsfException(404, "not_found", description);
    }

    public int status() {
        return status;
    }

    public String err() {
        return err;
    }
}
