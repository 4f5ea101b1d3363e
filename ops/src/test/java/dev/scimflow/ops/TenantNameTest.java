package dev.scimflow.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "acme", "a", "0", "acme-eu-1",
            "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsLowerCaseLettersDigitsAndDashesUpTo63(String name) {
        assertThat(TenantName.check(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-acme", "Acme", "acme_eu", "acme eu", "acmé",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void refusesAnythingElseSayingTheRule(String name) {
        assertThatThrownBy(() -> TenantName.check(name))
                .isInstanceOf(OperatorError.class)
                .hasMessageContaining("lower-case letters, digits and dashes");
    }
}
