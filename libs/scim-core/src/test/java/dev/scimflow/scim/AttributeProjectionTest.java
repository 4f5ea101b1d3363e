package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

/** {@code attributes} / {@code excludedAttributes} naming a whole extension by its URN. */
class AttributeProjectionTest {

    private final ObjectNode alice = ScimUsers.render(ScimUsers.validateForWrite(Json.parse("""
            {"userName":"alice","title":"CTO",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}}""")),
            "u-1", Instant.EPOCH, Instant.EPOCH, 1, null);

    @Test
    void theEnterpriseExtensionsUrnSelectsOrExcludesTheWholeExtension() {
        ObjectNode selected = AttributeProjection.of(ScimSchemas.ENTERPRISE_USER, null).apply(alice);
        ObjectNode excluded = AttributeProjection.of(null, ScimSchemas.ENTERPRISE_USER.toLowerCase()).apply(alice);

        assertThat(selected.get(ScimSchemas.ENTERPRISE_USER).get("department").asString()).isEqualTo("R&D");
        assertThat(selected.has("title")).isFalse();
        assertThat(excluded.has(ScimSchemas.ENTERPRISE_USER)).isFalse();
        assertThat(excluded.get("title").asString()).isEqualTo("CTO");
    }
}
