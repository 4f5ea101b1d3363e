package dev.scimflow.ingress.reads;

import java.util.Locale;

import com.unboundid.scim2.common.filters.Filter;

import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.limits.FilterLimits;
import dev.scimflow.scim.AttributeProjection;
import dev.scimflow.scim.FilterParser;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.store.UserSearch;
import tools.jackson.databind.JsonNode;

/**
 * A list request, from query parameters (GET) or a SearchRequest body (POST {@code .search}), with RFC 7644
 * §3.4.2.4 paging rules: startIndex below 1 means 1, count defaults to 100, below 0 means 0, and is capped
 * at the advertised maximum. A {@code cursor} parameter (empty for the first page) selects cursor paging
 * (RFC 9865). The filter is checked against {@link FilterLimits} before it is parsed.
 */
public record ListRequest(String filter, String sortBy, String sortOrder, String startIndex, String count, String cursor,
                          String attributes, String excludedAttributes) {

    public static final int DEFAULT_COUNT = 100;

    public static ListRequest fromSearchBody(JsonNode body) {
        if (!body.isObject()) {
            throw ScimException.invalidSyntax("a SearchRequest is a JSON object");
        }
        JsonNode schemas = body.get("schemas");
        if (schemas != null && schemas.isArray() && !schemas.isEmpty()
                && schemas.valueStream().noneMatch(s -> ScimSchemas.SEARCH_REQUEST.equalsIgnoreCase(s.asString("")))) {
            throw ScimException.invalidSyntax("schemas must be [\"" + ScimSchemas.SEARCH_REQUEST + "\"]");
        }
        return new ListRequest(text(body, "filter"), text(body, "sortBy"), text(body, "sortOrder"), text(body, "startIndex"),
                text(body, "count"), text(body, "cursor"), list(body, "attributes"), list(body, "excludedAttributes"));
    }

    public UserSearch toUserSearch(int maxPageSize) {
        requireStorable();
        int pageSize = Math.min(Math.max(0, integer(count, DEFAULT_COUNT, "count")), maxPageSize);
        boolean descending = sortOrder != null && sortOrder.toLowerCase(Locale.ROOT).startsWith("desc");
        if (sortOrder != null && !descending && !sortOrder.equalsIgnoreCase("ascending")) {
            throw ScimException.invalidValue("sortOrder is ascending or descending");
        }
        if (cursor != null) {
            if (sortBy != null || descending) {
                throw ScimException.invalidValue("cursor paging returns resources in creation order; it takes no sortBy or sortOrder");
            }
            return new UserSearch(parsedFilter(), null, false, 1, pageSize, true, Cursors.decode(cursor));
        }
        return new UserSearch(parsedFilter(), sortBy, descending, Math.max(1, integer(startIndex, 1, "startIndex")), pageSize, false, null);
    }

    /** Parameters reach SQL as bind values: what the store cannot hold (U+0000...) is refused here (400), not there. */
    private void requireStorable() {
        if (ScimJson.unstorable(filter)) {
            throw ScimException.invalidFilter("a filter cannot contain U+0000 or an unpaired surrogate");
        }
        for (String parameter : new String[]{sortBy, sortOrder, startIndex, count, cursor, attributes, excludedAttributes}) {
            if (ScimJson.unstorable(parameter)) {
                throw ScimException.invalidValue("query parameters cannot contain U+0000 or an unpaired surrogate");
            }
        }
    }

    public AttributeProjection projection() {
        return AttributeProjection.of(attributes, excludedAttributes);
    }

    private Filter parsedFilter() {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        FilterLimits.check(filter);
        return FilterParser.parse(filter);
    }

    private static int integer(String value, int absent, String name) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed));
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue(name + " must be an integer, not " + value);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = field(body, field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asString() : reject(field);
    }

    private static String list(JsonNode body, String field) {
        JsonNode value = field(body, field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            return String.join(",", value.valueStream().map(v -> v.asString("")).toList());
        }
        return value.isString() ? value.stringValue() : reject(field);
    }

    /** SearchRequest member names are case-insensitive, like every SCIM attribute name. */
    private static JsonNode field(JsonNode body, String name) {
        for (var entry : body.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String reject(String field) {
        throw ScimException.invalidValue(field + " has the wrong type");
    }
}
