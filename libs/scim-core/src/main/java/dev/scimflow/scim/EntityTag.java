package dev.scimflow.scim;

/**
 * Weak entity tags over the resource version (RFC 7232). Matching is lenient about weakness and
 * quoting because IdPs echo the tag back in different shapes.
 */
final class EntityTag {

    private EntityTag() {
    }

    static String weak(long version) {
        return "W/\"" + version + "\"";
    }

    /** No header (null or blank) is no precondition, so it is satisfied. */
    static boolean ifMatch(String header, long version) {
        if (header == null || header.isBlank()) {
            return true;
        }
        String wanted = Long.toString(version);
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/") || tag.startsWith("w/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (tag.equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
