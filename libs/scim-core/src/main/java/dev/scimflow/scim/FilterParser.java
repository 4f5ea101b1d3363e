package dev.scimflow.scim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;

/**
 * Parses SCIM filters (RFC 7644 §3.4.2.2) with the SDK, adding what it lacks: a check that every parenthesis,
 * bracket and quote is closed (the SDK takes {@code emails[type eq "work"} as if it were closed), and Entra's
 * {@code emails[type eq "work"].value eq "x"} — a value path followed by a sub-attribute, which RFC 7644's grammar
 * does not have — read as {@code emails[type eq "work" and value eq "x"]}. Anything malformed is 400 invalidFilter.
 */
public final class FilterParser {

    private static final Set<String> OPERATORS = Set.of("eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le", "pr");

    private FilterParser() {
    }

    public static Filter parse(String text) {
        requireBalanced(text, "filter");
        try {
            return Filter.fromString(withSubAttributesInsideValueFilters(text));
        } catch (BadRequestException | RuntimeException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s*at \\[Source:.*", "").strip();
            throw ScimException.invalidFilter("invalid filter: " + reason);
        } catch (StackOverflowError e) {
            // nesting is bounded before the SDK sees a filter (the ingress's FilterLimits); kept so that it can never be a 500
            throw ScimException.invalidFilter("the filter is nested too deeply");
        }
    }

    /**
     * Every {@code (} and {@code [} outside quoted strings is closed by its own kind, every quote is closed, and after a
     * {@code ]} of a path comes its end or a {@code .}: otherwise 400 invalidFilter ({@code what} names the text).
     */
    static void requireBalanced(String text, String what) {
        Deque<Character> open = new ArrayDeque<>();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(', '[' -> open.push(c);
                case ')', ']' -> {
                    char opening = c == ')' ? '(' : '[';
                    if (open.isEmpty() || open.pop() != opening) {
                        throw ScimException.invalidFilter("the " + what + " has a '" + c + "' at position " + i + " that closes nothing");
                    }
                }
                default -> {
                }
            }
        }
        if (quoted) {
            throw ScimException.invalidFilter("the " + what + " has a quoted string that is not closed");
        }
        if (!open.isEmpty()) {
            throw ScimException.invalidFilter("the " + what + " has a '" + open.peek() + "' that is not closed");
        }
    }

    /** {@code a[F].s op v} becomes {@code a[(F) and s op v]}, as often as it occurs. */
    static String withSubAttributesInsideValueFilters(String text) {
        String current = text;
        int from = 0;
        while (true) {
            int close = nextSubAttributeBracket(current, from);
            if (close < 0) {
                return current;
            }
            int open = matchingOpen(current, close);
            int nameEnd = close + 2;
            while (nameEnd < current.length() && isNameChar(current.charAt(nameEnd))) {
                nameEnd++;
            }
            String subAttribute = current.substring(close + 2, nameEnd);
            int operatorStart = skipSpaces(current, nameEnd);
            int operatorEnd = operatorStart;
            while (operatorEnd < current.length() && Character.isLetter(current.charAt(operatorEnd))) {
                operatorEnd++;
            }
            String operator = current.substring(operatorStart, operatorEnd);
            if (subAttribute.isEmpty() || operatorStart == nameEnd || !OPERATORS.contains(operator.toLowerCase(Locale.ROOT))) {
                from = close + 1; // not a comparison: let the SDK say what is wrong with it
                continue;
            }
            int end = operatorEnd;
            if (!operator.equalsIgnoreCase("pr")) {
                int valueStart = skipSpaces(current, operatorEnd);
                if (valueStart == operatorEnd) {
                    from = close + 1;
                    continue;
                }
                end = valueEnd(current, valueStart);
            }
            String comparison = subAttribute + " " + current.substring(operatorStart, end).strip();
            current = current.substring(0, open + 1) + "(" + current.substring(open + 1, close) + ") and " + comparison + "]"
                    + current.substring(end);
            from = 0;
        }
    }

    /** The position of the next {@code ]} outside quotes that is followed by {@code .name}, or -1. */
    private static int nextSubAttributeBracket(String text, int from) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ']' && i >= from && i + 1 < text.length() && text.charAt(i + 1) == '.') {
                return i;
            }
        }
        return -1;
    }

    /** The {@code [} that a balanced text's {@code ]} at {@code close} closes. */
    private static int matchingOpen(String text, int close) {
        boolean quoted = false;
        int candidate = -1;
        Deque<Integer> opens = new ArrayDeque<>();
        for (int i = 0; i <= close; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '[') {
                opens.push(i);
            } else if (c == ']') {
                candidate = opens.pop();
            }
        }
        return candidate;
    }

    private static int valueEnd(String text, int start) {
        if (text.charAt(start) == '"') {
            for (int i = start + 1; i < text.length(); i++) {
                if (text.charAt(i) == '\\') {
                    i++;
                } else if (text.charAt(i) == '"') {
                    return i + 1;
                }
            }
            return text.length();
        }
        int i = start;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != ')' && text.charAt(i) != ']') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$';
    }
}
