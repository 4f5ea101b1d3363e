package dev.scimflow.ingress.reads;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import dev.scimflow.scim.ScimException;
import dev.scimflow.store.UserSearch.Position;

/**
 * Opaque cursors for RFC 9865 cursor paging: the position after which the next page starts, base64url
 * encoded. A cursor names only a position: the query is still scoped to the caller's tenant and filter, so
 * a cursor from elsewhere reveals nothing. A malformed cursor is 400 with scimType invalidCursor.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(Position position) {
        long micros = position.created().getEpochSecond() * 1_000_000L + position.created().getNano() / 1_000;
        String text = "v1:" + micros + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names; null for the empty cursor that starts cursor paging. */
    static Position decode(String cursor) {
        if (cursor.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 3);
            if (parts.length != 3 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            long micros = Long.parseLong(parts[1]);
            return new Position(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
                    parts[2]);
        } catch (IllegalArgumentException e) {
            throw new ScimException(400, "invalidCursor", "the cursor is not one this service issued");
        }
    }
}
