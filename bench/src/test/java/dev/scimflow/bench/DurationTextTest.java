package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsTheUnitsPeopleType() {
        assertThat(DurationText.parse("--duration", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("--duration", "45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationText.parse("--duration", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("--duration", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationText.parse("--lag-poll", "20ms")).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void refusesZeroAndNonsenseNamingTheOption() {
        assertThatThrownBy(() -> DurationText.parse("--duration", "0s")).isInstanceOf(BenchError.class)
                .hasMessage("--duration must be longer than zero");
        assertThatThrownBy(() -> DurationText.parse("--timeout", "soon")).isInstanceOf(BenchError.class)
                .hasMessageContaining("--timeout: 'soon' is not a duration");
    }
}
