package dev.scimflow.audit.api;

/**
 * What an operator asks of the audit log: optionally one tenant, optionally one userName (matched without
 * regard to case, as SCIM compares userNames), and how many entries at most.
 */
record DeactivationQuery(String tenant, String userName, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    DeactivationQuery {
        tenant = blankToNull(tenant);
        userName = blankToNull(userName);
        if (limit < 1) {
            throw new InvalidQuery("limit must be at least 1");
        }
        limit = Math.min(limit, MAX_LIMIT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
