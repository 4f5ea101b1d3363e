package dev.scimflow.events;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C trace context a record carries ({@code traceparent}, W3C Trace Context §3.2): the trace of the SCIM request
 * that caused it, written by the ingress on {@code scim.changes} and by the worker on {@code scim.events}, read by
 * whoever continues that trace. Only the version-00 form is understood; anything else is treated as no trace, so a
 * record with a malformed header is still processed as one without.
 */
public final class TraceParent {

    /** The header name, as W3C Trace Context names it. */
    public static final String HEADER = "traceparent";

    private static final Pattern VERSION_00 = Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

    private TraceParent() {
    }

    /** The record's {@code traceparent}, or null when it has none (written before tracing, or by another producer). */
    public static String of(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The trace id (32 lower-case hex digits) of a {@code traceparent} value; null when there is none or it is malformed. */
    public static String traceId(String traceparent) {
        return traceparent != null && VERSION_00.matcher(traceparent).matches() ? traceparent.substring(3, 35) : null;
    }

    /** The trace id of the record's {@code traceparent}; null when it has none. */
    public static String traceId(Headers headers) {
        return traceId(of(headers));
    }
}
