package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationMixTest {

    @Test
    void theDefaultMixHasEveryOperationWithItsWeight() {
        OperationMix mix = OperationMix.parse(OperationMix.DEFAULT);

        assertThat(mix.weights()).containsExactly(entry(Operation.CREATE, 20), entry(Operation.GET, 25),
                entry(Operation.SEARCH, 25), entry(Operation.PUT, 10), entry(Operation.DEACTIVATE, 8),
                entry(Operation.REACTIVATE, 7), entry(Operation.MEMBERS, 5));
        assertThat(mix.share(Operation.GET)).isEqualTo(0.25);
        assertThat(mix).hasToString(OperationMix.DEFAULT);
    }

    @Test
    void picksEachOperationInProportionToItsWeight() {
        OperationMix mix = OperationMix.parse("get=3, create=1");
        Map<Operation, Integer> picked = new EnumMap<>(Operation.class);
        int steps = 10_000;
        for (int i = 0; i < steps; i++) {
            picked.merge(mix.pick(i / (double) steps), 1, Integer::sum);
        }

        assertThat(picked).containsOnly(entry(Operation.CREATE, 2_500), entry(Operation.GET, 7_500));
        assertThat(mix.pick(0)).isEqualTo(Operation.CREATE);
        assertThat(mix.pick(0.9999999)).isEqualTo(Operation.GET);
    }

    @Test
    void zeroWeightsLeaveAnOperationOut() {
        OperationMix mix = OperationMix.parse("create=0,search=1,Members=2");

        assertThat(mix.weights()).containsOnlyKeys(Operation.SEARCH, Operation.MEMBERS);
        assertThat(mix.includes(Operation.CREATE)).isFalse();
        assertThat(mix.share(Operation.CREATE)).isZero();
    }

    @Test
    void onlySendsOneOperation() {
        OperationMix mix = OperationMix.only("create");

        assertThat(mix.weights()).containsOnly(entry(Operation.CREATE, 1));
        assertThat(mix.pick(0.5)).isEqualTo(Operation.CREATE);
        assertThatThrownBy(() -> OperationMix.only("delete")).isInstanceOf(BenchError.class)
                .hasMessageContaining("unknown operation 'delete'").hasMessageContaining("members");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "create=1,fly=2       | unknown operation 'fly'",
            "create               | 'create' is not name=weight",
            "create=x             | must be a whole number, not 'x'",
            "create=-1            | must not be negative",
            "create=1,create=2    | create is given twice",
            "create=0,get=0       | at least one weight must be positive",
            "\"  \"                 | --mix is empty"})
    void refusesAMixItCannotUseSayingWhy(String text, String message) {
        assertThatThrownBy(() -> OperationMix.parse(text)).isInstanceOf(BenchError.class).hasMessageContaining(message);
    }
}
