package dev.scimflow.scim;

import java.util.List;

/**
 * One change to a group's membership as a PATCH asked for it, in user ids. Each is applied to the store as
 * one set-based statement over the ids it names (or, for {@link RemoveAll} and {@link Replace}, over the
 * group's rows), never by reading and rewriting the whole member list.
 */
public sealed interface MembershipChange {

  /** Add these users; those already members stay as they are (idempotent). */
  record Add(List<String> userIds) implements MembershipChange {
    public Add {
      userIds = List.copyOf(userIds);
    }
  }

  /** Remove these users; ids that are not members are ignored. */
  record Remove(List<String> userIds) implements MembershipChange {
    public Remove {
      userIds = List.copyOf(userIds);
    }
  }

  /** Remove every member. */
  record RemoveAll() implements MembershipChange {
  }

  /** Make exactly these users the members (never empty: an empty replace is {@link RemoveAll}). */
  record Replace(List<String> userIds) implements MembershipChange {
    public Replace {
      userIds = List.copyOf(userIds);
    }
  }
}
