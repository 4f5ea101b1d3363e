package dev.scimflow.scim;

import java.util.Locale;

/**
 * Where a tenant's responses carry Zulip's {@code role}: in scimflow's extension (RFC-clean, the default) or as a
 * top-level attribute of the core User, for an IdP that imports {@code role} from the core namespace (Okta with
 * Zulip's mapping). Requests may use either spelling whatever the choice; only what responses show differs.
 */
public enum RoleAttribute {

    /** {@code "urn:scimflow:params:scim:schemas:extension:zulip:2.0:User": {"role": ...}}, the URN listed in {@code schemas}. */
    EXTENSION,
    /** {@code "role": ...} at the top of the User, as Zulip's own SCIM server answers. */
    CORE;

    /** The name operators type and the store keeps: {@code extension} or {@code core}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From {@link #label()}, case-insensitively. */
    public static RoleAttribute of(String label) {
        for (RoleAttribute choice : values()) {
            if (choice.label().equalsIgnoreCase(label == null ? "" : label.trim())) {
                return choice;
            }
        }
        throw new IllegalArgumentException("the role attribute is 'core' or 'extension', not '" + label + "'");
    }
}
