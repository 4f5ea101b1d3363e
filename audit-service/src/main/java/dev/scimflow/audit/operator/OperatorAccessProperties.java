package dev.scimflow.audit.operator;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may read the audit log: the SHA-256 digests (hex) of the operator bearer tokens, never the tokens.
 * Set as {@code scimflow.audit.operator-token-sha256} or {@code SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256}, comma-separated.
 */
@ConfigurationProperties("scimflow.audit")
public record OperatorAccessProperties(List<String> operatorTokenSha256) {

    public OperatorAccessProperties {
        operatorTokenSha256 = operatorTokenSha256 == null
                ? List.of()
                : operatorTokenSha256.stream().map(String::strip).filter(hash -> !hash.isEmpty()).toList();
    }
}
