package dev.scimflow.scim;

import java.util.List;

/**
 * One change to a group's membership as a PATCH asked for it, in member ids (users and nested groups alike: ids are
 * unique across both, and the worker finds which each one is). Each is applied to the store as
 * one set-based statement over the ids it names (or, for {@link RemoveAll} and {@link Replace}, over the
 * group's rows), never by reading and rewriting the whole member list.
 */
public sealed interface MembershipChange {

    /** Add these members; those already members stay as they are (idempotent). */
    record Add(List<String> memberIds) implements MembershipChange {
        public Add {
            memberIds = List.copyOf(memberIds);
        }
    }

    /** Remove these members; ids that are not members are ignored. */
    record Remove(List<String> memberIds) implements MembershipChange {
        public Remove {
            memberIds = List.copyOf(memberIds);
        }
    }

    /** Remove every member. */
    record RemoveAll() implements MembershipChange {
    }

    /** Make exactly these the members (never empty: an empty replace is {@link RemoveAll}). */
    record Replace(List<String> memberIds) implements MembershipChange {
        public Replace {
            memberIds = List.copyOf(memberIds);
        }
    }
}
