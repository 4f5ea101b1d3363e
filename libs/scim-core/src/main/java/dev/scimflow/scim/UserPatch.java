package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.utils.JsonUtils;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed, validated PATCH request (RFC 7644 §3.5.2) for a User. Parsing resolves every path against
 * the User schema, so an invalid request fails at the ingress before anything is applied; applying
 * works on a copy and re-validates the result like a PUT.
 */
public final class UserPatch {

    /** More operations than this in one request is refused (tooMany). */
    public static final int MAX_OPERATIONS = 1000;

    /**
     * A longer path is refused (invalidPath) before it is parsed: IdPs' paths stay under 100 characters, and the
     * SDK's filter parser takes more than linear time in the length of a value filter.
     */
    public static final int MAX_PATH_LENGTH = 256;

    /**
     * The most value comparisons the value filters of one PATCH may make against the stored user (values of the
     * filtered attribute times the filter's comparisons, summed over the operations), beyond which it is refused
     * (tooMany) before anything is applied. The SDK's filter evaluation costs tens of microseconds per comparison
     * (it tries every string as a date first), so without this bound a PATCH of many filtered operations on a user
     * with many values would hold the worker for minutes. IdPs make a few dozen comparisons; at the bound a PATCH
     * takes well under a second.
     */
    public static final int MAX_FILTER_COMPARISONS = 1_000;

    /**
     * The most operations with a value-filter path one PATCH may hold (tooMany): the SDK parses a filter's literals
     * in time that grows with the rest of the path, about a millisecond for a path at the length limit.
     */
    public static final int MAX_FILTERED_OPERATIONS = 100;

    private final List<UserPatchOperation> operations;
    private final int operationCount;

    private UserPatch(List<UserPatchOperation> operations, int operationCount) {
        this.operations = List.copyOf(operations);
        this.operationCount = operationCount;
    }

    public static UserPatch parse(JsonNode body) {
        JsonNode operations = PatchRequests.operations(body, MAX_OPERATIONS);
        List<UserPatchOperation> resolved = new ArrayList<>();
        int filtered = 0;
        for (int i = 0; i < operations.size(); i++) {
            if (checkPathLength(operations.get(i), i) && ++filtered > MAX_FILTERED_OPERATIONS) {
                throw ScimException
                        .tooMany("A PATCH request may hold at most " + MAX_FILTERED_OPERATIONS + " operations with a value filter");
            }
            resolved.addAll(UserPatchReader.read(operations.get(i), i));
        }
        return new UserPatch(resolved, operations.size());
    }

    /** Refuses an over-long path; true when the path has a value filter. */
    private static boolean checkPathLength(JsonNode operation, int index) {
        JsonNode path = operation.isObject() ? JsonFields.get(operation, "path") : null;
        if (path == null || !path.isString()) {
            return false;
        }
        if (path.stringValue().length() > MAX_PATH_LENGTH) {
            throw ScimException.invalidPath("Operations[" + index + "].path is longer than " + MAX_PATH_LENGTH + " characters");
        }
        return path.stringValue().indexOf('[') >= 0;
    }

    /** The new stored document; the input is never modified, and any failure leaves nothing applied. */
    public ObjectNode applyTo(JsonNode storedDocument) {
        if (storedDocument == null || !storedDocument.isObject()) {
            throw new IllegalArgumentException("A stored User document is a JSON object");
        }
        // The SDK's case-ignoring nodes let value filters such as [Type eq "work"] match "type".
        ObjectNode working = JsonUtils.valueToNode(storedDocument.deepCopy());
        long comparisons = 0;
        for (UserPatchOperation operation : operations) {
            comparisons += filterComparisons(operation.path(), working);
            if (comparisons > MAX_FILTER_COMPARISONS) {
                throw ScimException.tooMany("The value filters of this PATCH request would make more than " + MAX_FILTER_COMPARISONS
                        + " comparisons; send it as several requests");
            }
            Map<String, List<JsonNode>> primaries = PrimaryValues.snapshot(working);
            operation.applyTo(working);
            PrimaryValues.keepNewest(working, primaries);
        }
        return UserDocument.canonicalise(working);
    }

    /** Comparisons an operation's value filter makes: each value of the attribute against each comparison, twice (upserts test first). */
    private static long filterComparisons(AttributePath path, ObjectNode document) {
        if (path.filter() == null) {
            return 0;
        }
        JsonNode container = UserAttributes.storedAtTop(path.schema()) ? document : document.get(path.schema().id());
        JsonNode values = container == null ? null : container.get(path.attribute().getName());
        int count = values == null ? 0 : values.isArray() ? values.size() : 1;
        return 2L * count * comparisons(path.filter());
    }

    private static long comparisons(Filter filter) {
        if (filter.isCombiningFilter()) {
            return filter.getCombinedFilters().stream().mapToLong(UserPatch::comparisons).sum();
        }
        if (filter.isNotFilter()) {
            return comparisons(filter.getInvertedFilter());
        }
        if (filter.isComplexValueFilter()) {
            return comparisons(filter.getValueFilter());
        }
        return 1;
    }

    /** How many operations the request held, as sent. */
    public int operationCount() {
        return operationCount;
    }
}
