package dev.scimflow.store;

import java.util.List;

/**
 * One page of a user search: the total number of matches, the users on this page and, in cursor paging,
 * where the next page starts (null on the last page).
 */
public record UserPage(long totalResults, List<StoredUser> users, UserSearch.Position next) {
}
