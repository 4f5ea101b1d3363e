package dev.scimflow.audit.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperatorAuthenticationTest {

    @Test
    void theBearerSchemeIsMatchedInAnyCase() {
        assertThat(OperatorAuthentication.bearerToken("Bearer abc")).isEqualTo("abc");
        assertThat(OperatorAuthentication.bearerToken("bearer abc")).isEqualTo("abc");
        assertThat(OperatorAuthentication.bearerToken("BEARER   abc  ")).isEqualTo("abc");
    }

    @Test
    void otherSchemesAndEmptyTokensYieldNoToken() {
        assertThat(OperatorAuthentication.bearerToken(null)).isNull();
        assertThat(OperatorAuthentication.bearerToken("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).isNull();
        assertThat(OperatorAuthentication.bearerToken("Bearer")).isNull();
        assertThat(OperatorAuthentication.bearerToken("Bearer    ")).isNull();
        assertThat(OperatorAuthentication.bearerToken("Bearerabc")).isNull();
    }
}
