package dev.scimflow.ingress.requestlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimRequest;
import dev.scimflow.ingress.errors.AnsweredError;

class RequestLogEntriesTest {

    private static final Instant AT = Instant.parse("2026-12-06T20:00:00Z");

    @Test
    void keepsWhatWasAskedAndAnsweredButNoQueryValues() {
        ScimRequest entry = RequestLogEntries.entry("acme", AT, "Microsoft.Azure.ActiveDirectory", "GET", "/scim/v2/Users",
                "filter=userName%20eq%20%22alice%40example.com%22&count=5&aadOptscim062020", 400,
                new AnsweredError("invalidFilter", "the filter is not valid"), 12, "req-1");

        assertThat(entry).isEqualTo(new ScimRequest("acme", AT, "Microsoft.Azure.ActiveDirectory", "GET",
                "/scim/v2/Users?filter&count&aadOptscim062020", 400, "invalidFilter", "the filter is not valid", 12, "req-1"));
        assertThat(new String(EventCodec.encode(entry))).doesNotContain("alice").doesNotContain("5&");
    }

    @Test
    void aSuccessHasNoErrorAndNoQueryMeansThePathAlone() {
        ScimRequest entry = RequestLogEntries.entry("acme", AT, null, "DELETE", "/scim/v2/Users/42", null, 204, null, 3, "req-2");

        assertThat(entry.path()).isEqualTo("/scim/v2/Users/42");
        assertThat(entry.client()).isNull();
        assertThat(entry.scimType()).isNull();
        assertThat(entry.detail()).isNull();
    }

    @Test
    void theEntryHasNoFieldForABodyOrAHeaderButTheClient() {
        assertThat(ScimRequest.class.getRecordComponents()).extracting(component -> component.getName())
                .containsExactly("tenant", "at", "client", "method", "path", "status", "scimType", "detail", "latencyMs",
                        "requestId");
    }

    @Test
    void longClientPathAndDetailAreShortenedAndControlCharactersBlanked() {
        ScimRequest entry = RequestLogEntries.entry("acme", AT, "x".repeat(1000) + "\n", "PATCH", "/scim/v2/Users/" + "y".repeat(2000),
                "a".repeat(100) + "=1", 400, new AnsweredError("invalidPath", "bad\r\npath " + "z".repeat(2000)), 1, "req-3");

        assertThat(entry.client()).hasSize(RequestLogEntries.MAX_CLIENT).endsWith("\u2026");
        assertThat(entry.path()).hasSize(RequestLogEntries.MAX_PATH).endsWith("\u2026");
        assertThat(entry.detail()).hasSize(RequestLogEntries.MAX_DETAIL).startsWith("bad  path ").doesNotContain("\n");
    }

    @Test
    void parameterNamesAreListedOnceAndBounded() {
        assertThat(RequestLogEntries.parameterNames("attributes=a&attributes=b&=x&&count")).isEqualTo("?attributes&count");
        assertThat(RequestLogEntries.parameterNames("")).isEmpty();
        assertThat(RequestLogEntries.parameterNames("p0&p1&p2&p3&p4&p5&p6&p7&p8&p9&p10&p11").split("&")).hasSize(10);
    }

    @Test
    void aNegativeLatencyFromAClockStepIsZero() {
        assertThat(RequestLogEntries.entry("acme", AT, null, "GET", "/scim/v2/Users", null, 200, null, -5, "r").latencyMs()).isZero();
    }
}
