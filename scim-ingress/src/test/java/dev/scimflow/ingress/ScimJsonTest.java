package dev.scimflow.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.scimflow.scim.ScimException;

/** Request bodies the store could not hold as sent are 400 invalidValue before anything is published. */
class ScimJsonTest {

    @Test
    void aNulCharacterOrAnUnpairedSurrogateCannotBeStored() {
        assertThat(ScimJson.unstorable("nul\u0000")).isTrue();
        assertThat(ScimJson.unstorable("high\ud800")).isTrue();
        assertThat(ScimJson.unstorable("\udc00low")).isTrue();
        assertThat(ScimJson.unstorable("reversed\udc00\ud800")).isTrue();
        assertThat(ScimJson.unstorable("emoji \ud83d\ude00 and ü")).isFalse();
        assertThat(ScimJson.unstorable(null)).isFalse();
    }

    @Test
    void aBodyWithSuchAStringAnywhereIsInvalidValue() {
        for (String body : new String[]{"{\"userName\":\"a\\u0000\"}", "{\"emails\":[{\"value\":\"\\ud800@x\"}]}",
                "{\"name\":{\"giv\\u0000enName\":\"x\"}}"}) {
            assertThatThrownBy(() -> ScimJson.parse(body.getBytes(StandardCharsets.UTF_8))).as(body)
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
        }
        assertThat(ScimJson.parse("{\"displayName\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8)).get("displayName").asString())
                .isEqualTo("\ud83d\ude00");
    }
}
