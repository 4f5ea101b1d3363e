package dev.scimflow.store;

/**
 * One group of a user, for the user's read-only {@code groups} attribute: the group's id and displayName, and whether
 * the user is a member of it itself ({@code direct}) or only through groups nested in it ({@code indirect}).
 */
public record GroupRef(String value, String display, boolean direct) {

    /** The value of {@code groups.type}: {@code direct} or {@code indirect}. */
    public String type() {
        return direct ? "direct" : "indirect";
    }
}
