package dev.scimflow.bench;

/**
 * A setting of the benchmark that cannot be used (a malformed {@code --mix}, a zero {@code --duration}, a stack that
 * answers the first request with an error): the operator can fix it, so the command prints its message alone.
 */
public class BenchError extends RuntimeException {

    public BenchError(String message) {
        super(message);
    }
}
