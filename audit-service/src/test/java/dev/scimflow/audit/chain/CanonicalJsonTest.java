package dev.scimflow.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;

class CanonicalJsonTest {

    private static String canonical(String json) {
        return CanonicalJson.of(EventCodec.mapper().readTree(json));
    }

    @Test
    void membersAreSortedAtEveryDepthAndWhitespaceDropped() {
        assertThat(canonical("""
                { "b": 1, "a": { "d": [ {"z": true, "y": null} ], "c": "x" } }"""))
                .isEqualTo("{\"a\":{\"c\":\"x\",\"d\":[{\"y\":null,\"z\":true}]},\"b\":1}");
    }

    @Test
    void theSameNumberSpelledDifferentlyIsOneText() {
        assertThat(canonical("[1, 1.0, 1e0, 1.50, 100, 1e2, -0.0, 0.1]")).isEqualTo("[1,1,1,1.5,100,100,0,0.1]");
    }

    @Test
    void stringsAreEscapedAsJson() {
        assertThat(canonical("{\"name\":\"Zoë \\\"Q\\\" \\u00e9\\n\"}")).isEqualTo("{\"name\":\"Zoë \\\"Q\\\" é\\n\"}");
    }

    @Test
    void whatPostgresqlJsonbGivesBackCanonicalizesLikeWhatWasStored() {
        // jsonb orders members by length, then bytes, and respells numbers; the canonical text does not change
        assertThat(canonical("{\"userName\":\"ada\",\"id\":\"u1\",\"score\":1.50,\"big\":1E+3}"))
                .isEqualTo(canonical("{\"id\": \"u1\", \"big\": 1000, \"score\": 1.50, \"userName\": \"ada\"}"));
    }
}
