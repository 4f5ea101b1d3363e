package dev.scimflow.ingress.requestlog;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import dev.scimflow.events.ScimRequest;
import dev.scimflow.ingress.errors.AnsweredError;

/**
 * What the request log keeps of a SCIM request, and what it leaves out. Kept: the method, the path, the names of the
 * query parameters, the status, the SCIM error's scimType and detail, the latency, the request id and the client's
 * User-Agent. Never kept: bodies, headers other than the User-Agent (so never the bearer token), query parameter
 * values (a filter names users: {@code userName eq "alice@example.com"}). Free text is shortened, so that an entry
 * stays small whatever the client sends.
 */
final class RequestLogEntries {

    static final int MAX_CLIENT = 200;
    static final int MAX_PATH = 500;
    static final int MAX_DETAIL = 500;
    private static final int MAX_PARAMETER_NAME = 40;
    private static final int MAX_PARAMETERS = 10;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private RequestLogEntries() {
    }

    static ScimRequest entry(String tenant, Instant at, String userAgent, String method, String requestUri,
                             String queryString, int status, AnsweredError error, long latencyMs, String requestId) {
        return new ScimRequest(tenant, at, shorten(userAgent, MAX_CLIENT), method,
                shorten(requestUri + parameterNames(queryString), MAX_PATH), status,
                error == null ? null : shorten(error.scimType(), 40),
                error == null ? null : shorten(error.detail(), MAX_DETAIL), Math.max(0, latencyMs), requestId);
    }

    /** {@code ?filter&count} for {@code filter=...&count=10}: names only, each once, in order; empty without a query. */
    static String parameterNames(String queryString) {
        if (queryString == null || queryString.isEmpty()) {
            return "";
        }
        Set<String> names = new LinkedHashSet<>();
        for (String parameter : queryString.split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (!name.isEmpty() && names.size() < MAX_PARAMETERS) {
                names.add(shorten(name, MAX_PARAMETER_NAME));
            }
        }
        return names.isEmpty() ? "" : "?" + String.join("&", names);
    }

    /** The text without control characters, cut to {@code max} characters with a trailing ellipsis; null stays null. */
    static String shorten(String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = CONTROL.matcher(text).replaceAll(" ");
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "\u2026";
    }
}
