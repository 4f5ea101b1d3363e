package dev.scimflow.store;

import java.time.Instant;

import com.unboundid.scim2.common.filters.Filter;

/**
 * What a list or {@code .search} asks for: a filter (null for all), an order, and a page — either by index
 * (1-based {@code startIndex}) or, when {@code after} is set or {@code cursorPaging} is true, by cursor
 * (RFC 9865), which resumes after the last user of the previous page in creation order.
 */
public record UserSearch(Filter filter, String sortBy, boolean descending, int startIndex, int count,
                         boolean cursorPaging, Position after) {

    /** Where a cursor page resumes: after this user in (created, id) order. */
    public record Position(Instant created, String id) {
    }

    public static UserSearch byIndex(Filter filter, int startIndex, int count) {
        return new UserSearch(filter, null, false, startIndex, count, false, null);
    }
}
