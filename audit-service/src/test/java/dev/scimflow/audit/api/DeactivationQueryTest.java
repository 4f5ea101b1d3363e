package dev.scimflow.audit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.scimflow.audit.recording.AuditAction;
import dev.scimflow.audit.recording.AuditCause;

class DeactivationQueryTest {

    private static DeactivationFilter none() {
        return new DeactivationFilter(null, null, null, null, null, null, null);
    }

    @Test
    void theLimitIsCappedAtOneThousand() {
        assertThat(none().query(null, 5000).limit()).isEqualTo(1000);
        assertThat(none().query(null, 1).limit()).isEqualTo(1);
    }

    @Test
    void aLimitBelowOneIsInvalid() {
        assertThatThrownBy(() -> none().query(null, 0)).isInstanceOf(InvalidQuery.class);
    }

    @Test
    void blankFiltersMeanNoFilter() {
        var blank = new DeactivationFilter(" ", "", " ", "", " ", "", " ").query(" ", 10);
        assertThat(blank).isEqualTo(none().query(null, 10));
        assertThat(new DeactivationFilter(" acme ", null, null, null, null, null, null).query(null, 10).tenant()).isEqualTo("acme");
    }

    @Test
    void actionAndCauseAreMatchedWithoutRegardToCaseAndUnknownOnesAreInvalid() {
        var query = new DeactivationFilter(null, null, "deactivated", "put", null, null, null).query(null, 10);
        assertThat(query.action()).isEqualTo(AuditAction.DEACTIVATED);
        assertThat(query.cause()).isEqualTo(AuditCause.PUT);
        assertThatThrownBy(() -> new DeactivationFilter(null, null, "SUSPENDED", null, null, null, null).query(null, 10))
                .isInstanceOf(InvalidQuery.class).hasMessageContaining("action");
        assertThatThrownBy(() -> new DeactivationFilter(null, null, null, "POST", null, null, null).query(null, 10))
                .isInstanceOf(InvalidQuery.class).hasMessageContaining("cause");
    }

    @Test
    void aDateAsUpperBoundIncludesTheWholeDayAndAnInstantIsExact() {
        var days = new DeactivationFilter(null, null, null, null, null, "2026-03-01", "2026-03-04").query(null, 10);
        assertThat(days.from()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(days.to()).isEqualTo(Instant.parse("2026-03-05T00:00:00Z"));
        var instants = new DeactivationFilter(null, null, null, null, null, "2026-03-01T10:00:00+02:00", "2026-03-04T05:06:07Z")
                .query(null, 10);
        assertThat(instants.from()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
        assertThat(instants.to()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
    }

    @Test
    void anUnreadableOrEmptyTimeRangeIsInvalid() {
        assertThatThrownBy(() -> new DeactivationFilter(null, null, null, null, null, "yesterday", null).query(null, 10))
                .isInstanceOf(InvalidQuery.class).hasMessageContaining("from");
        assertThatThrownBy(() -> new DeactivationFilter(null, null, null, null, null, "2026-03-05", "2026-03-04T00:00:00Z").query(null, 10))
                .isInstanceOf(InvalidQuery.class).hasMessageContaining("before");
    }

    @Test
    void theQueryStringCarriesTheNonBlankFiltersEncoded() {
        var filter = new DeactivationFilter("acme", "ada+1@example.com", "", null, "Okta SCIM Client", "2026-03-01", null);
        assertThat(filter.queryString())
                .isEqualTo("tenant=acme&userName=ada%2B1%40example.com&clientName=Okta+SCIM+Client&from=2026-03-01");
        assertThat(none().queryString()).isEmpty();
    }
}
