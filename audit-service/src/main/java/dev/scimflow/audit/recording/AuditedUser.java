package dev.scimflow.audit.recording;

import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

/**
 * How a user is named in the audit log, taken from a SCIM User snapshot: its {@code userName} and a display
 * name for people to read ({@code displayName}, else {@code name.formatted}, else given and family name).
 */
record AuditedUser(String userName, String displayName) {

    static AuditedUser of(JsonNode user) {
        if (user == null || !user.isObject()) {
            return new AuditedUser(null, null);
        }
        return new AuditedUser(text(user.get("userName")), displayName(user));
    }

    /** This naming, with what it lacks taken from another snapshot (a PUT may drop the display name). */
    AuditedUser or(AuditedUser other) {
        return new AuditedUser(userName != null ? userName : other.userName,
                displayName != null ? displayName : other.displayName);
    }

    static String displayName(JsonNode user) {
        String displayName = text(user.get("displayName"));
        if (displayName != null) {
            return displayName;
        }
        JsonNode name = user.get("name");
        if (name == null || !name.isObject()) {
            return null;
        }
        String formatted = text(name.get("formatted"));
        if (formatted != null) {
            return formatted;
        }
        String givenAndFamily = String.join(" ", Stream.of(name.get("givenName"), name.get("familyName"))
                .map(AuditedUser::text).filter(part -> part != null).toList());
        return givenAndFamily.isEmpty() ? null : givenAndFamily;
    }

    /** The trimmed text of a string node; null for a missing, null, non-string or blank one. */
    private static String text(JsonNode node) {
        if (node == null || !node.isString()) {
            return null;
        }
        String text = node.asString().strip();
        return text.isEmpty() ? null : text;
    }
}
