package dev.scimflow.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record headers of {@code scim.outcomes}: the change's tenant and the position in the user store's write-ahead log at
 * which the worker's commit of it is included, so that an ingress reading from a PostgreSQL replica can tell whether
 * the replica has replayed that far, and whether the change was an asynchronous request, so that the events service
 * decodes only those it reports; all without decoding the outcome. The worker writes all three on every outcome it
 * publishes, the ingress the last on those it writes itself; outcomes written before they existed have none.
 */
public final class OutcomeHeaders {

    public static final String TENANT = "scim-tenant";
    /** The WAL position as a decimal number of bytes ({@code pg_lsn - '0/0'}), after the commit that applied the change. */
    public static final String COMMIT_LSN = "scim-commit-lsn";
    /** {@code true} or {@code false}: {@link ChangeOutcome#respondAsync()}. */
    public static final String RESPOND_ASYNC = "scim-respond-async";

    private OutcomeHeaders() {
    }

    public static void write(ChangeOutcome outcome, long commitLsn, Headers headers) {
        headers.add(TENANT, outcome.tenant().getBytes(StandardCharsets.UTF_8));
        headers.add(COMMIT_LSN, Long.toString(commitLsn).getBytes(StandardCharsets.UTF_8));
        writeRespondAsync(outcome, headers);
    }

    public static void writeRespondAsync(ChangeOutcome outcome, Headers headers) {
        headers.add(RESPOND_ASYNC, Boolean.toString(outcome.respondAsync()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether the outcome is of an asynchronous request, as its header says; empty on an outcome without it (one written
     * before it existed), which has to be decoded to know.
     */
    public static Optional<Boolean> respondAsync(Headers headers) {
        Header header = headers.lastHeader(RESPOND_ASYNC);
        return header == null ? Optional.empty() : Optional.of("true".equals(new String(header.value(), StandardCharsets.UTF_8)));
    }

    /** The tenant, or null on an outcome without these headers. */
    public static String tenant(Headers headers) {
        Header header = headers.lastHeader(TENANT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The commit's WAL position, or empty on an outcome without these headers (or with an unreadable one). */
    public static OptionalLong commitLsn(Headers headers) {
        Header header = headers.lastHeader(COMMIT_LSN);
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
