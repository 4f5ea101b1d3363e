package dev.scimflow.audit.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OperatorTokensTest {

    private static String sha256Hex(String token) {
        return HexFormat.of().formatHex(OperatorTokens.sha256(token));
    }

    private static OperatorTokens configured(String... hashes) {
        return new OperatorTokens(new OperatorAccessProperties(Arrays.asList(hashes)));
    }

    @Test
    void theDigestIsTheStandardSha256OfTheToken() {
        assertThat(sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aTokenWhoseDigestIsConfiguredIsAccepted() {
        var tokens = configured(sha256Hex("first-operator"), sha256Hex("second-operator").toUpperCase());
        assertThat(tokens.accepts("first-operator")).isTrue();
        assertThat(tokens.accepts("second-operator")).isTrue();
    }

    @Test
    void anyOtherTokenIsRefused() {
        var tokens = configured(sha256Hex("operator"));
        assertThat(tokens.accepts("operator ")).isFalse();
        assertThat(tokens.accepts("scim-tenant-token")).isFalse();
        assertThat(tokens.accepts(sha256Hex("operator"))).as("the digest itself is not a token").isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
    }

    @Test
    void withNoDigestConfiguredEveryTokenIsRefusedAndAWarningLogged(CapturedOutput output) {
        var tokens = new OperatorTokens(new OperatorAccessProperties(List.of(" ", "")));
        assertThat(output.getOut()).contains("WARN").contains("No operator token configured");
        assertThat(tokens.accepts("anything")).isFalse();
        assertThat(new OperatorTokens(new OperatorAccessProperties(null)).accepts("anything")).isFalse();
    }

    @Test
    void aConfiguredValueThatIsNotASha256DigestStopsTheService() {
        assertThatThrownBy(() -> configured("plaintext-token")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> configured("z".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }
}
