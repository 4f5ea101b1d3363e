package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class ScimUsersRenderTest {

    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    private static final Instant MODIFIED = Instant.parse("2026-02-03T04:05:06.789Z");

    private final ObjectNode stored = ScimUsers.validateForWrite(Json.parse("""
            {"userName":"alice","name":{"givenName":"Alice","familyName":"Smith"},"externalId":"ext-1"}"""));

    @Test
    void idComesFirstThenTheDocumentThenMeta() {
        var resource = ScimUsers.render(stored, "u-1", CREATED, MODIFIED, 7, "https://x/scim/v2/Users/u-1");

        List<String> names = List.copyOf(resource.propertyNames());
        assertThat(names.get(0)).isEqualTo("id");
        assertThat(names.get(names.size() - 1)).isEqualTo("meta");
        assertThat(names).contains("schemas", "userName", "externalId", "active", "role");
        assertThat(resource.get("id").asString()).isEqualTo("u-1");
    }

    @Test
    void metaCarriesResourceTypeTimestampsWeakVersionAndLocation() {
        var meta = ScimUsers.render(stored, "u-1", CREATED, MODIFIED, 7, "https://x/scim/v2/Users/u-1").get("meta");

        assertThat(meta.get("resourceType").asString()).isEqualTo("User");
        assertThat(meta.get("created").asString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(meta.get("lastModified").asString()).isEqualTo("2026-02-03T04:05:06.789Z");
        assertThat(meta.get("version").asString()).isEqualTo("W/\"7\"");
        assertThat(meta.get("location").asString()).isEqualTo("https://x/scim/v2/Users/u-1");
    }

    @Test
    void locationIsOmittedWhenUnknown() {
        var meta = ScimUsers.render(stored, "u-1", CREATED, MODIFIED, 1, null).get("meta");

        assertThat(meta.has("location")).isFalse();
    }

    @Test
    void formattedNameIsDerivedFromThePartsWhenNotSent() {
        var resource = ScimUsers.render(stored, "u-1", CREATED, MODIFIED, 1, null);

        assertThat(resource.get("name").get("formatted").asString()).isEqualTo("Alice Smith");
        assertThat(stored.get("name").has("formatted")).as("stored document untouched").isFalse();
    }

    @Test
    void formattedNameAsSentIsKept() {
        var sent = ScimUsers.validateForWrite(Json.parse("""
                {"userName":"a","name":{"formatted":"Dr. A. Smith","givenName":"A","familyName":"Smith"}}"""));

        var resource = ScimUsers.render(sent, "u-1", CREATED, MODIFIED, 1, null);

        assertThat(resource.get("name").get("formatted").asString()).isEqualTo("Dr. A. Smith");
    }

    @Test
    void accessorsReadTheStoredDocument() {
        assertThat(ScimUsers.userName(stored)).isEqualTo("alice");
        assertThat(ScimUsers.externalId(stored)).isEqualTo("ext-1");
        assertThat(ScimUsers.active(stored)).isTrue();
        assertThat(ScimUsers.externalId(Json.parse("{\"userName\":\"b\"}"))).isNull();
        assertThat(ScimUsers.active(Json.parse("{\"userName\":\"b\"}"))).as("default").isTrue();
        assertThat(ScimUsers.active(Json.parse("{\"userName\":\"b\",\"active\":false}"))).isFalse();
    }
}
