package dev.scimflow.store;

import java.util.List;

/** One page of a user search: the total number of matches and the users on this page. */
public record UserPage(long totalResults, List<StoredUser> users) {
}
