package dev.scimflow.store;

import java.util.List;

/**
 * One page of a group search: the total number of matches, the groups on this page (without members) and, in
 * cursor paging, where the next page starts (null on the last page).
 */
public record GroupPage(long totalResults, List<StoredGroup> groups, UserSearch.Position next) {
}
