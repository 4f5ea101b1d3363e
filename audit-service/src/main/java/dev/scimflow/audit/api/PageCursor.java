package dev.scimflow.audit.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where the next page of the log starts: after the entry with this time of change and row id, in the order
 * newest first. Handed to operators as an opaque string. Entries recorded meanwhile sort before or after it by
 * their own keys, so paging neither repeats nor skips an entry that existed when the first page was read.
 */
record PageCursor(Instant changedAt, long id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, changedAt);
        return ENCODER.encodeToString(("v1:" + micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII).split(":");
            if (parts.length != 3 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new PageCursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw new InvalidQuery("cursor is not one this service handed out");
        }
    }
}
