package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class ScimRequestsTest {

    @Test
    void theSearchIsAUserNameEqualityFilter() {
        String path = ScimClient.userNameFilter("a+b@example.com");

        assertThat(path).startsWith("/Users?filter=").doesNotContain(" ").doesNotContain("\"");
        assertThat(URLDecoder.decode(path.substring("/Users?filter=".length()), StandardCharsets.UTF_8))
                .isEqualTo("userName eq \"a+b@example.com\"");
    }

    @Test
    void deactivationIsAPatchOfActive() {
        JsonNode patch = BenchJson.MAPPER.readTree(ScimClient.activePatch(false));

        assertThat(patch.path("schemas").get(0).asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:PatchOp");
        assertThat(patch.path("Operations").get(0).path("op").asString()).isEqualTo("replace");
        assertThat(patch.path("Operations").get(0).path("value").path("active").asBoolean(true)).isFalse();
    }

    @Test
    void membersAreAddedByValueAndRemovedByFilter() {
        JsonNode add = BenchJson.MAPPER.readTree(ScimClient.addMember("u-1")).path("Operations").get(0);
        JsonNode remove = BenchJson.MAPPER.readTree(ScimClient.removeMember("u-1")).path("Operations").get(0);

        assertThat(add.path("op").asString()).isEqualTo("add");
        assertThat(add.path("path").asString()).isEqualTo("members");
        assertThat(add.path("value").get(0).path("value").asString()).isEqualTo("u-1");
        assertThat(remove.path("op").asString()).isEqualTo("remove");
        assertThat(remove.path("path").asString()).isEqualTo("members[value eq \"u-1\"]");
    }

    @Test
    void userBodiesAreScimUsers() {
        JsonNode created = BenchJson.MAPPER.readTree(ScimClient.newUser("ada@example.com", "Ada", "Lovelace"));
        JsonNode replaced = BenchJson.MAPPER.readTree(ScimClient.replacedUser("ada@example.com", "Ada", "King", "Countess", false));

        assertThat(created.path("schemas").get(0).asString()).isEqualTo(ScimClient.USER_SCHEMA);
        assertThat(created.path("userName").asString()).isEqualTo("ada@example.com");
        assertThat(created.path("active").asBoolean(false)).isTrue();
        assertThat(replaced.path("name").path("familyName").asString()).isEqualTo("King");
        assertThat(replaced.path("active").asBoolean(true)).isFalse();
        assertThat(Workload.idOf("{\"id\":\"abc\",\"userName\":\"x\"}")).isEqualTo("abc");
    }

    @Test
    void theAuditLagCountsOnlyTheUsersDeactivationSinceTheRequest() {
        String page = """
                {"items":[
                  {"userId":"u-2","action":"DEACTIVATED","changedAt":"2026-11-29T02:00:05Z","recordedAt":"2026-11-29T02:00:05.1Z"},
                  {"userId":"u-1","action":"REACTIVATED","changedAt":"2026-11-29T02:00:04Z","recordedAt":"2026-11-29T02:00:04.1Z"},
                  {"userId":"u-1","action":"DEACTIVATED","changedAt":"2026-11-29T02:00:03Z","recordedAt":"2026-11-29T02:00:03.2Z"},
                  {"userId":"u-1","action":"DEACTIVATED","changedAt":"2026-11-29T01:00:00Z","recordedAt":"2026-11-29T01:00:00.1Z"}
                ],"count":4,"nextCursor":null}""";

        JsonNode found = AuditLag.find(page, "u-1", Instant.parse("2026-11-29T02:00:00Z"));

        assertThat(found).isNotNull();
        assertThat(found.path("changedAt").asString()).isEqualTo("2026-11-29T02:00:03Z");
        assertThat(AuditLag.find(page, "u-1", Instant.parse("2026-11-29T02:00:03.5Z"))).isNull();
        assertThat(AuditLag.find(page, "u-3", Instant.parse("2026-11-29T00:00:00Z"))).isNull();
    }
}
