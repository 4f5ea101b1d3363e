package dev.scimflow.store;

import java.util.List;

/** A user and the groups it is a member of, directly or through nested groups, by displayName: what a SCIM GET answers. */
public record UserWithGroups(StoredUser user, List<GroupRef> groups) {
}
