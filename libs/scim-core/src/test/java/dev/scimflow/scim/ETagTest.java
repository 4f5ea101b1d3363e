package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ETagTest {

    @Test
    void etagIsTheWeakQuotedVersion() {
        assertThat(ScimUsers.etag(3)).isEqualTo("W/\"3\"");
    }

    @Test
    void wildcardMatchesAnyVersion() {
        assertThat(ScimUsers.ifMatchSatisfied("*", 42)).isTrue();
    }

    @Test
    void weakAndStrongFormsOfTheSameVersionBothMatch() {
        assertThat(ScimUsers.ifMatchSatisfied("W/\"3\"", 3)).isTrue();
        assertThat(ScimUsers.ifMatchSatisfied("\"3\"", 3)).isTrue();
    }

    @Test
    void anyTagOfACommaSeparatedListMatches() {
        assertThat(ScimUsers.ifMatchSatisfied("W/\"1\", W/\"3\" ,\"9\"", 3)).isTrue();
        assertThat(ScimUsers.ifMatchSatisfied("W/\"1\", W/\"2\"", 3)).isFalse();
    }

    @Test
    void anotherVersionDoesNotMatch() {
        assertThat(ScimUsers.ifMatchSatisfied("W/\"2\"", 3)).isFalse();
        assertThat(ScimUsers.ifMatchSatisfied("W/\"33\"", 3)).isFalse();
    }

    @Test
    void absentHeaderIsNoPrecondition() {
        assertThat(ScimUsers.ifMatchSatisfied(null, 3)).isTrue();
        assertThat(ScimUsers.ifMatchSatisfied("  ", 3)).isTrue();
    }
}
