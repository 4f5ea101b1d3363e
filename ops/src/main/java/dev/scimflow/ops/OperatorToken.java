package dev.scimflow.ops;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import dev.scimflow.store.TenantTokens;

/**
 * Operator tokens: the bearer credential of the audit API, distinct from any tenant's SCIM token. Services are given
 * only their SHA-256 ({@code SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256}), never the token.
 */
public final class OperatorToken {

    public static final String PREFIX = "scimflow_op_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private OperatorToken() {
    }

    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Lower-case hex SHA-256, the form in which services are configured with operator tokens. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(TenantTokens.hash(token));
    }
}
