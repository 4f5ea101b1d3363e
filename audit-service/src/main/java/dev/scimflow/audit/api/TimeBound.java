package dev.scimflow.audit.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The bounds of a time range as operators write them: an instant ({@code 2026-03-04T05:06:07Z}, any offset) or a
 * UTC date ({@code 2026-03-04}). A date as lower bound is the start of that day; as upper bound the start of
 * the next one, so that {@code to=2026-03-04} includes the whole of that day. The upper bound is exclusive.
 */
final class TimeBound {

    private TimeBound() {
    }

    static Instant from(String value) {
        return parse("from", value, false);
    }

    static Instant to(String value) {
        return parse("to", value, true);
    }

    private static Instant parse(String name, String value, boolean upper) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (upper ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidQuery(name + " must be a date (2026-03-04) or an instant (2026-03-04T05:06:07Z)");
        }
    }
}
