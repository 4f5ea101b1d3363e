package dev.scimflow.ops;

/**
 * A failure the operator can act on (bad input, a port in use, an unknown token id): its message is printed as it
 * is, without a stack trace, and the command exits with {@link #EXIT_CODE}.
 */
public class OperatorError extends RuntimeException {

    public static final int EXIT_CODE = 1;

    public OperatorError(String message) {
        super(message);
    }

    public OperatorError(String message, Throwable cause) {
        super(message, cause);
    }
}
