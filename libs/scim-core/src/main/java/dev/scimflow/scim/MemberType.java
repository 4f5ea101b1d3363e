package dev.scimflow.scim;

import java.util.Optional;

/** What a group member is (RFC 7643 §4.2 {@code members.type}): a user, or a group of the same tenant (nesting). */
public enum MemberType {

    USER("User"), GROUP("Group");

    private final String scimName;

    MemberType(String scimName) {
        this.scimName = scimName;
    }

    /** The value of {@code members.type}: {@code User} or {@code Group}. */
    public String scimName() {
        return scimName;
    }

    /** From a {@code members.type} value, case-insensitively; empty for anything else. */
    public static Optional<MemberType> of(String scimName) {
        for (MemberType type : values()) {
            if (type.scimName.equalsIgnoreCase(scimName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
