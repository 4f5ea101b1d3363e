package dev.scimflow.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;

class ChainHeadTest {

    private static RecordContent content(String userName) {
        return new RecordContent("acme", "u1", userName, "Ada", "DEACTIVATED", "PATCH", "Okta", "tok-1", "req-1",
                "c1", "e1", Instant.parse("2026-03-04T05:06:07Z"), Instant.parse("2026-03-04T05:06:08Z"),
                EventCodec.mapper().readTree("{\"active\":true}"), EventCodec.mapper().readTree("{\"active\":false}"));
    }

    @Test
    void eachTenantsChainStartsFromItsOwnGenesis() {
        assertThat(ChainHead.genesis("acme").seq()).isZero();
        assertThat(ChainHead.genesis("acme")).isEqualTo(ChainHead.genesis("acme"));
        assertThat(ChainHead.genesis("acme").recordHash()).isNotEqualTo(ChainHead.genesis("globex").recordHash()).hasSize(64);
    }

    @Test
    void aLinkCarriesThePreviousHashAndHashesPositionPreviousAndContent() {
        ChainHead genesis = ChainHead.genesis("acme");
        ChainLink first = genesis.next(content("ada").hash());
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.previousHash()).isEqualTo(genesis.recordHash());
        assertThat(first.recordHash()).isEqualTo(Sha256.hex("1\n" + genesis.recordHash() + "\n" + content("ada").hash()));
        ChainLink second = first.asHead().next(content("bob").hash());
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.previousHash()).isEqualTo(first.recordHash());
    }

    @Test
    void anyChangeToTheContentChangesItsHash() {
        assertThat(content("ada").hash()).isEqualTo(content("ada").hash()).hasSize(64);
        assertThat(content("ada").hash()).isNotEqualTo(content("adb").hash());
        assertThat(content("ada").canonical()).startsWith("{\"action\":\"DEACTIVATED\",\"after\":{\"active\":false}")
                .contains("\"format\":\"scimflow.audit.v1\"");
    }

    @Test
    void aNullFieldIsSpelledOutSoThatItCannotBeConfusedWithAnother() {
        var withoutName = new RecordContent("acme", "u1", null, null, "DEACTIVATED", "DELETE", null, null, null, null,
                "e1", Instant.EPOCH, Instant.EPOCH, null, null);
        assertThat(withoutName.canonical()).contains("\"userName\":null").contains("\"after\":null");
    }
}
