package dev.scimflow.store;

import java.util.List;

/**
 * PostgreSQL array literals. A statement that writes many rows at once takes each column as one array parameter
 * ({@code unnest(?::text[], ...)}); a column that is itself an array travels as the literal of that array, one text
 * element of the outer array, cast back in SQL ({@code k.email_values::text[]}).
 */
final class PgArrays {

    private PgArrays() {
    }

    /** The literal of a text array, e.g. {@code {"a@x.com","b\"c@y.org"}}; null elements are not allowed. */
    static String textArray(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            literal.append(i == 0 ? "\"" : ",\"");
            String value = values.get(i);
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }
}
