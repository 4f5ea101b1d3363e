package dev.scimflow.store;

import com.unboundid.scim2.common.filters.Filter;

/**
 * What a group list or {@code .search} asks for: a filter (null for all), an order ({@code sortBy} null for
 * creation order; ties broken by creation, then id, so pages are stable) and a page, by 1-based
 * {@code startIndex} or, in cursor paging (RFC 9865), after a position in (created, id) order.
 */
public record GroupSearch(Filter filter, String sortBy, boolean descending, int startIndex, int count,
                          boolean cursorPaging, UserSearch.Position after) {

    /** The same request as parsed for users: list parameters do not depend on the resource type. */
    public static GroupSearch of(UserSearch search) {
        return new GroupSearch(search.filter(), search.sortBy(), search.descending(), search.startIndex(), search.count(),
                search.cursorPaging(), search.after());
    }
}
