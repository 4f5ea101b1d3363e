package dev.scimflow.ingress.limits;

import dev.scimflow.scim.ScimException;

/**
 * Bounds on a filter's size, checked on the raw text before the SDK parses it. The SDK's parser takes more
 * than linear time in the number of and/or terms (measured: 10x the terms, about 20x the time), and the SQL a
 * filter becomes nests as deep as the filter does; these bounds keep both small whatever a client sends. No
 * IdP sends filters anywhere near them (Okta and Entra send one or two comparisons).
 */
public final class FilterLimits {

    public static final int MAX_LENGTH = 4096;
    /** Nesting of parentheses and value-filter brackets. */
    public static final int MAX_DEPTH = 16;
    /** and, or and not, together. */
    public static final int MAX_LOGICAL_OPERATORS = 50;

    private FilterLimits() {
    }

    /** Throws 400 invalidFilter when the filter is over a limit; looks inside no quoted string. */
    public static void check(String filter) {
        if (filter.length() > MAX_LENGTH) {
            throw ScimException.invalidFilter("a filter may have at most " + MAX_LENGTH + " characters");
        }
        int depth = 0;
        int operators = 0;
        int wordStart = -1;
        boolean quoted = false;
        for (int i = 0; i <= filter.length(); i++) {
            char c = i < filter.length() ? filter.charAt(i) : ' ';
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (letter && wordStart < 0) {
                wordStart = i;
            } else if (!letter && wordStart >= 0) {
                if (isLogicalOperator(filter, wordStart, i) && ++operators > MAX_LOGICAL_OPERATORS) {
                    throw ScimException.invalidFilter("a filter may combine at most " + MAX_LOGICAL_OPERATORS + " terms with and, or, not");
                }
                wordStart = -1;
            }
            if (c == '"') {
                quoted = true;
            } else if ((c == '(' || c == '[') && ++depth > MAX_DEPTH) {
                throw ScimException.invalidFilter("a filter may nest at most " + MAX_DEPTH + " levels of parentheses and brackets");
            } else if (c == ')' || c == ']') {
                depth = Math.max(0, depth - 1);
            }
        }
    }

    private static boolean isLogicalOperator(String text, int start, int end) {
        int length = end - start;
        return (length == 3 && (text.regionMatches(true, start, "and", 0, 3) || text.regionMatches(true, start, "not", 0, 3)))
                || (length == 2 && text.regionMatches(true, start, "or", 0, 2));
    }
}
