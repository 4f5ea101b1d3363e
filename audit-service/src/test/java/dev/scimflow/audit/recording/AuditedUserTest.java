package dev.scimflow.audit.recording;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;

class AuditedUserTest {

    private static JsonNode user(String json) {
        return EventCodec.mapper().readTree(json);
    }

    @Test
    void displayNameWinsOverTheStructuredName() {
        var user = AuditedUser.of(user("""
                {"userName":"ada@example.com","displayName":"Ada L.","name":{"formatted":"Ada Lovelace","givenName":"Ada"}}"""));
        assertThat(user).isEqualTo(new AuditedUser("ada@example.com", "Ada L."));
    }

    @Test
    void formattedNameIsUsedWhenThereIsNoDisplayName() {
        assertThat(AuditedUser.displayName(user("""
                {"displayName":"  ","name":{"formatted":"Ada Lovelace","givenName":"A","familyName":"L"}}""")))
                .isEqualTo("Ada Lovelace");
    }

    @Test
    void givenAndFamilyNameAreJoinedWhenNothingElseNamesTheUser() {
        assertThat(AuditedUser.displayName(user("""
                {"name":{"givenName":"Ada","familyName":"Lovelace"}}"""))).isEqualTo("Ada Lovelace");
        assertThat(AuditedUser.displayName(user("""
                {"name":{"familyName":"Lovelace"}}"""))).isEqualTo("Lovelace");
    }

    @Test
    void aUserWithoutAnyNameHasNoDisplayName() {
        assertThat(AuditedUser.displayName(user("""
                {"userName":"ada","name":{"givenName":null,"familyName":7}}"""))).isNull();
        assertThat(AuditedUser.of(null)).isEqualTo(new AuditedUser(null, null));
    }

    @Test
    void whatTheSnapshotAfterLacksIsTakenFromTheOneBefore() {
        var after = AuditedUser.of(user("""
                {"userName":"ada@example.com","active":false}"""));
        var before = AuditedUser.of(user("""
                {"userName":"old@example.com","displayName":"Ada"}"""));
        assertThat(after.or(before)).isEqualTo(new AuditedUser("ada@example.com", "Ada"));
    }
}
