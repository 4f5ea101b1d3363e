package dev.scimflow.ops;

import java.util.regex.Pattern;

/** The rule for tenant names: lower-case letters, digits and dashes, 1 to 63 characters, not starting with a dash. */
public final class TenantName {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private TenantName() {
    }

    /** Returns the name if it is valid, or fails with a message that says the rule. */
    public static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new OperatorError("invalid tenant name '" + name + "': use 1-63 lower-case letters, digits and dashes,"
                    + " starting with a letter or digit");
        }
        return name;
    }
}
