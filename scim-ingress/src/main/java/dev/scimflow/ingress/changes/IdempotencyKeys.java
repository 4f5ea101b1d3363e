package dev.scimflow.ingress.changes;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.scimflow.ingress.RandomIds;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code Idempotency-Key} request header as the source of a change's identity. A retried request with
 * the same key (and tenant) becomes the same change — same change id, and for a POST the same new resource
 * id — so the worker applies it once and answers the retry with the first attempt's outcome. Without the
 * header every request is a change of its own.
 */
public final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private IdempotencyKeys() {
    }

    public static UUID changeId(HttpServletRequest request, String tenant) {
        return derive(request, tenant, "change").orElseGet(RandomIds::next);
    }

    /** The id a POST assigns to the resource it creates. */
    public static String newResourceId(HttpServletRequest request, String tenant) {
        return derive(request, tenant, "resource").orElseGet(RandomIds::next).toString();
    }

    /**
     * The ids of operation {@code index} of a bulk request: {change id, new resource id}. With the request's key, a
     * retried bulk is the same set of changes (each operation the same change, each POST the same new resource);
     * without one, new ids.
     */
    public static UUID[] bulkOperation(HttpServletRequest request, String tenant, int index) {
        Optional<String> key = key(request);
        if (key.isEmpty()) {
            return new UUID[]{RandomIds.next(), RandomIds.next()};
        }
        String scoped = tenant + "\n" + request.getMethod() + "\n" + request.getRequestURI() + "\n" + key.get() + "\n" + index;
        return new UUID[]{uuid("bulk-change\n" + scoped), uuid("bulk-resource\n" + scoped)};
    }

    private static Optional<UUID> derive(HttpServletRequest request, String tenant, String purpose) {
        return key(request).map(key -> uuid(purpose + "\n" + tenant + "\n" + request.getMethod() + "\n"
                + request.getRequestURI() + "\n" + key));
    }

    private static Optional<String> key(HttpServletRequest request) {
        String key = request.getHeader(HEADER);
        if (key == null) {
            return Optional.empty();
        }
        if (!VALID.matcher(key).matches()) {
            throw ScimException.invalidValue(HEADER + " must be 1 to 255 visible ASCII characters");
        }
        return Optional.of(key);
    }

    private static UUID uuid(String scoped) {
        return UUID.nameUUIDFromBytes(scoped.getBytes(StandardCharsets.UTF_8));
    }
}
