package dev.scimflow.scim;

import java.util.Locale;

import tools.jackson.databind.JsonNode;

/** Zulip's {@code role}: one of {@link UserSchema#ROLES}, stored lower-case, {@code member} when absent. */
final class UserRole {

    static final String DEFAULT = "member";

    private UserRole() {
    }

    static String canonical(JsonNode value) {
        if (value == null) {
            return DEFAULT;
        }
        String role = value.asString().toLowerCase(Locale.ROOT);
        if (!UserSchema.ROLES.contains(role)) {
            throw ScimException.invalidValue("'role' must be one of " + String.join(", ", UserSchema.ROLES));
        }
        return role;
    }
}
