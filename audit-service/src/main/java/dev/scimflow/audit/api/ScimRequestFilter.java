package dev.scimflow.audit.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The request log's filters as written in the query string of the API and the page: all optional, blank meaning
 * "any". {@link #query} checks and parses them.
 */
public record ScimRequestFilter(
                                @Schema(description = "only this tenant") String tenant,
                                @Schema(description = "only this status (404) or status class (4xx)", example = "4xx") String status,
                                @Schema(description = "only this HTTP method", allowableValues = {
                                        "GET", "POST", "PUT", "PATCH", "DELETE"}) String method,
                                @Schema(description = "only the request with this id (X-Request-Id)") String requestId,
                                @Schema(description = "requests at or after this time: an instant (2026-03-04T05:06:07Z) or a UTC date (start of day)") String from,
                                @Schema(description = "requests before this time: an instant, or a UTC date (the whole day included)") String to) {

    private static final Pattern STATUS = Pattern.compile("([1-5])(xx|\\d\\d)");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    public ScimRequestQuery query(String cursor, int limit) {
        Integer status = null;
        Integer statusClass = null;
        String statusText = blankToNull(this.status);
        if (statusText != null) {
            Matcher matcher = STATUS.matcher(statusText.toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new InvalidQuery("status must be a status (404) or a status class (4xx)");
            }
            if (matcher.group(2).equals("xx")) {
                statusClass = Integer.parseInt(matcher.group(1));
            } else {
                status = Integer.parseInt(statusText);
            }
        }
        String methodText = blankToNull(method);
        if (methodText != null && !METHODS.contains(methodText.toUpperCase(Locale.ROOT))) {
            throw new InvalidQuery("unknown method '" + methodText + "'");
        }
        return new ScimRequestQuery(blankToNull(tenant), status, statusClass,
                methodText == null ? null : methodText.toUpperCase(Locale.ROOT), blankToNull(requestId),
                TimeBound.from(from), TimeBound.to(to), PageCursor.decode(cursor), limit);
    }

    /** The non-blank filters as a URL query string (no leading '?'); empty when there are none. */
    public String queryString() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("tenant", tenant);
        filters.put("status", status);
        filters.put("method", method);
        filters.put("requestId", requestId);
        filters.put("from", from);
        filters.put("to", to);
        return filters.entrySet().stream().filter(filter -> blankToNull(filter.getValue()) != null)
                .map(filter -> filter.getKey() + "=" + URLEncoder.encode(filter.getValue().strip(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
