package dev.scimflow.audit.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.scimflow.audit.recording.AuditAction;
import dev.scimflow.audit.recording.AuditCause;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The filters an operator sets, as written in the query string of the API, the page and the CSV export: all
 * optional, blank meaning "any". {@link #query} checks and parses them.
 */
public record DeactivationFilter(
                                 @Schema(description = "only this tenant") String tenant,
                                 @Schema(description = "only this userName, compared without regard to case") String userName,
                                 @Schema(description = "only this action", allowableValues = {
                                         "DEACTIVATED", "REACTIVATED"}) String action,
                                 @Schema(description = "only this cause: the SCIM request that changed the user's access", allowableValues = {
                                         "PATCH", "PUT", "DELETE"}) String cause,
                                 @Schema(description = "only changes made by this IdP client (its name as it announced itself), without regard to case") String clientName,
                                 @Schema(description = "changes at or after this time: an instant (2026-03-04T05:06:07Z) or a UTC date (start of day)") String from,
                                 @Schema(description = "changes before this time: an instant, or a UTC date (the whole day included)") String to) {

    public DeactivationQuery query(String cursor, int limit) {
        return new DeactivationQuery(blankToNull(tenant), blankToNull(userName), parse(AuditAction.class, "action", action),
                parse(AuditCause.class, "cause", cause), blankToNull(clientName), TimeBound.from(from), TimeBound.to(to),
                PageCursor.decode(cursor), limit);
    }

    /** The non-blank filters as a URL query string (no leading '?'); empty when there are none. */
    public String queryString() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("tenant", tenant);
        filters.put("userName", userName);
        filters.put("action", action);
        filters.put("cause", cause);
        filters.put("clientName", clientName);
        filters.put("from", from);
        filters.put("to", to);
        return filters.entrySet().stream().filter(filter -> blankToNull(filter.getValue()) != null)
                .map(filter -> filter.getKey() + "=" + URLEncoder.encode(filter.getValue().strip(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidQuery("unknown " + name + " '" + text + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
