package dev.scimflow.audit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void aCursorDecodesToThePositionItWasMadeFrom() {
        var cursor = new PageCursor(Instant.parse("2026-03-04T05:06:07.123456Z"), 42);
        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).doesNotContain("2026").doesNotContain("=");
    }

    @Test
    void noCursorMeansTheNewestEntry() {
        assertThat(PageCursor.decode(null)).isNull();
        assertThat(PageCursor.decode(" ")).isNull();
    }

    @Test
    void aCursorThisServiceDidNotHandOutIsInvalid() {
        for (String forged : new String[]{"not-a-cursor!", "djE6YWJjOjE", "djI6MTox", "MTIz"}) {
            assertThatThrownBy(() -> PageCursor.decode(forged)).as(forged).isInstanceOf(InvalidQuery.class);
        }
    }
}
