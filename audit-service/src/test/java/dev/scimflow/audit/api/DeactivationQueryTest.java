package dev.scimflow.audit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeactivationQueryTest {

    @Test
    void theLimitIsCappedAtOneThousand() {
        assertThat(new DeactivationQuery(null, null, 5000).limit()).isEqualTo(1000);
        assertThat(new DeactivationQuery(null, null, 1).limit()).isEqualTo(1);
    }

    @Test
    void aLimitBelowOneIsInvalid() {
        assertThatThrownBy(() -> new DeactivationQuery(null, null, 0)).isInstanceOf(InvalidQuery.class);
    }

    @Test
    void blankFiltersMeanNoFilter() {
        assertThat(new DeactivationQuery(" ", "", 10)).isEqualTo(new DeactivationQuery(null, null, 10));
        assertThat(new DeactivationQuery(" acme ", "ada", 10).tenant()).isEqualTo("acme");
    }
}
