package dev.scimflow.audit.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The operator tokens the audit API accepts, held as SHA-256 digests. A presented token is accepted when its
 * digest equals one configured digest, compared in constant time; the token itself is never kept or logged.
 */
@Component
public class OperatorTokens {

    private static final Logger log = LoggerFactory.getLogger(OperatorTokens.class);

    private final List<byte[]> digests;

    public OperatorTokens(OperatorAccessProperties properties) {
        this.digests = properties.operatorTokenSha256().stream().map(OperatorTokens::parseDigest).toList();
        if (digests.isEmpty()) {
            log.warn("No operator token configured (scimflow.audit.operator-token-sha256): every audit API request will be refused");
        }
    }

    public boolean accepts(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] presented = sha256(token);
        boolean accepted = false;
        for (byte[] digest : digests) {
            accepted |= MessageDigest.isEqual(digest, presented);
        }
        return accepted;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] parseDigest(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("scimflow.audit.operator-token-sha256 must hold 64-character SHA-256 hex digests");
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scimflow.audit.operator-token-sha256 holds a value that is not hex", e);
        }
    }
}
