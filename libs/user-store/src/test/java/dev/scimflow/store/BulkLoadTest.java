package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.scim.RoleAttribute;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rows written by the bulk loader are the rows the store writes itself ({@link Users#insert}, {@link Groups#insert},
 * {@link Groups#addMembers}, {@link AppliedChanges}), whatever the values hold; a load that fails leaves the store as
 * empty as it found it.
 */
class BulkLoadTest {

    private static final String[] AWKWARD = {"plain", "quo\"te", "back\\slash", "comma,semi;", "new\nline", "tab\there", "üñíçødé",
            "emoji 😀", "\\N", "'single'", "{braces}", "", "  spaces  "};

    @Test
    void usersGroupsMembershipsAndAppliedChangesAreTheRowsTheStoreWouldWriteItself() {
        DataSource loaded = BulkLoadSchemaTest.migratedStore();
        DataSource written = BulkLoadSchemaTest.migratedStore();
        List<StoredUser> users = new ArrayList<>();
        for (int i = 0; i < AWKWARD.length; i++) {
            String text = AWKWARD[i];
            ObjectNode document = json("""
                    {"userName":"user%d","name":{"givenName":"","familyName":"x"},"score":1.50,"big":12345678901234,"nothing":null,
                     "emails":[{"value":"A%d@Example.com","primary":true},{"value":"b%d@example.com"},{"type":"work"}]}"""
                    .formatted(i, i, i));
            document.put("userName", text + i).put("title", text);
            ((ObjectNode) document.get("name")).put("givenName", text);
            if (i % 2 == 0) {
                document.put("externalId", text);
                document.put("active", i % 4 == 0);
                document.remove("emails");
            }
            Instant created = Instant.parse("2026-11-28T10:00:00Z").plusNanos(i * 123_456_000L);
            users.add(new StoredUser("t", "u" + i, document, i + 1, created, created.plusSeconds(i)));
        }
        StoredGroup group = new StoredGroup("t", "g1", json("{\"displayName\":\"Eng \\\"q\\\" \\\\ ü\",\"externalId\":\"x\"}"), 2, 3,
                Instant.parse("2026-11-28T10:00:00.000001Z"), Instant.parse("2026-11-28T11:00:00.5Z"));
        StoredGroup empty = new StoredGroup("t", "g2", json("{\"displayName\":\"none\"}"), 0, 1, Instant.EPOCH, Instant.EPOCH);
        UUID change = UUID.randomUUID();
        String outcome = "{\"changeId\":\"" + change + "\",\"status\":201,\"resource\":{\"id\":\"u1\",\"title\":\"quo\\\"te \\\\ 😀\"},"
                + "\"scimType\":null}";

        try (BulkLoad load = BulkLoad.begin(loaded)) {
            load.tenants(List.of("t"));
            // in any order, each table's rows in several runs: the foreign keys are checked once, at the end
            load.add(BulkLoad.member("t", "g1", "u1"));
            users.subList(0, 5).forEach(user -> load.add(BulkLoad.user(user)));
            load.add(BulkLoad.group(group));
            load.add(BulkLoad.appliedChange(change, "t", "u1", outcome.getBytes(StandardCharsets.UTF_8), Instant.now()));
            users.subList(5, users.size()).forEach(user -> load.add(BulkLoad.user(user)));
            load.add(BulkLoad.member("t", "g1", "u2"));
            load.add(BulkLoad.group(empty));
            load.add(BulkLoad.memberGroup("t", "g1", "g2"));
            assertThat(load.count(BulkLoad.USERS)).isEqualTo(users.size());
            load.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        new TenantTokens(written).createTenant("t");
        users.forEach(new Users(written)::insert);
        Groups groups = new Groups(written);
        groups.insert(group);
        groups.insert(empty);
        groups.addMembers("t", "g1", List.of("u1", "u2"));
        groups.addMemberGroups("t", "g1", List.of("g2"));
        AppliedChanges appliedChanges = new AppliedChanges(written);
        appliedChanges.record(List.of(new AppliedChanges.Applied(change, "t", "u1", outcome)));

        for (String table : List.of("users", "groups", "group_members", "group_member_groups", "applied_changes")) {
            assertThat(rows(loaded, table)).as(table).isEqualTo(rows(written, table)).isNotEmpty();
        }
        assertThat(rows(loaded, "users")).hasSize(AWKWARD.length);
    }

    @Test
    void anInstantFinerThanAMicrosecondIsStoredAsPostgresqlReadsItsText() {
        DataSource store = BulkLoadSchemaTest.migratedStore();
        long[] nanos = {0, 1, 499, 500, 501, 1_500, 2_500, 123_456_789, 999_999_499, 999_999_500, 999_999_999, 100_000_000};
        try (BulkLoad load = BulkLoad.begin(store)) {
            load.tenants(List.of("t"));
            for (int i = 0; i < nanos.length; i++) {
                for (long seconds : new long[]{1_764_324_000L, -86_400L * 365 * 40 - 1}) {
                    Instant at = Instant.ofEpochSecond(seconds, nanos[i]);
                    ObjectNode document = json("{}").put("userName", "u" + i + "_" + seconds).put("at", at.toString());
                    load.add(BulkLoad.user(new StoredUser("t", "u" + i + "_" + seconds, document, 1, at, at)));
                }
            }
            load.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }

        assertThat(JdbcClient.create(store).sql("select count(*) from scim.users where created_at = (document ->> 'at')::timestamptz")
                .query(Long.class).single()).isEqualTo(2L * nanos.length);
    }

    @Test
    void aLoadThatFailsLeavesTheStoreEmptyWithItsIndexes() {
        DataSource store = BulkLoadSchemaTest.migratedStore();
        var before = BulkLoadSchemaTest.indexesAndConstraints(store);

        assertThatThrownBy(() -> {
            try (BulkLoad load = BulkLoad.begin(store)) {
                load.tenants(List.of("t"));
                load.add(BulkLoad.user(new StoredUser("t", "u1", json("{\"userName\":\"Ann\"}"), 1, Instant.EPOCH, Instant.EPOCH)));
                load.add(BulkLoad.user(new StoredUser("t", "u2", json("{\"userName\":\"ann\"}"), 1, Instant.EPOCH, Instant.EPOCH)));
                load.commit();
            }
        }).as("userName is unique per tenant, case-insensitively").hasMessageContaining("users_user_name");

        assertThat(JdbcClient.create(store).sql("select count(*) from scim.users").query(Long.class).single()).isZero();
        assertThat(JdbcClient.create(store).sql("select count(*) from scim.tenants").query(Long.class).single()).isZero();
        assertThat(BulkLoadSchemaTest.indexesAndConstraints(store)).isEqualTo(before);
    }

    @Test
    void tenantsThatExistKeepTheirRowsTokensAndRoleAttributeAndMissingOnesAreCreatedWithTheOneGiven() throws java.sql.SQLException {
        DataSource store = BulkLoadSchemaTest.migratedStore();
        TenantTokens tokens = new TenantTokens(store);
        tokens.createTenant("acme");
        TenantTokens.IssuedToken token = tokens.issue("acme", "okta");
        List<String> before = rows(store, "tenants");
        List<String> tokensBefore = rows(store, "tenant_tokens");

        try (BulkLoad load = BulkLoad.begin(store)) {
            load.add(BulkLoad.user(new StoredUser("acme", "u1", json("{\"userName\":\"ann\"}"), 1, Instant.EPOCH, Instant.EPOCH)));
            load.add(BulkLoad.user(new StoredUser("other", "u1", json("{\"userName\":\"ann\"}"), 1, Instant.EPOCH, Instant.EPOCH)));
            load.tenants(List.of("acme", "other"), RoleAttribute.CORE);
            load.commit();
        }

        assertThat(rows(store, "tenants")).as("acme's row as it was, other added").hasSize(2).containsAll(before);
        assertThat(rows(store, "tenant_tokens")).isEqualTo(tokensBefore).hasSize(1);
        assertThat(tokens.authenticate(token.token())).map(TenantTokens.TokenPrincipal::tenant).contains("acme");
        assertThat(tokens.roleAttribute("acme")).as("kept").hasValue(RoleAttribute.EXTENSION);
        assertThat(tokens.roleAttribute("other")).as("created with the choice given").hasValue(RoleAttribute.CORE);
    }

    @Test
    void aStoreThatIsNotEmptyIsRefused() {
        DataSource store = BulkLoadSchemaTest.migratedStore();
        new AppliedChanges(store).record(List.of(new AppliedChanges.Applied(UUID.randomUUID(), "t", "u1", "{}")));

        assertThatThrownBy(() -> BulkLoad.begin(store).close()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not empty");
        assertThat(JdbcClient.create(store).sql("select count(*) from scim.applied_changes").query(Long.class).single()).isOne();
    }

    /** Every column of every row of the table as text, in key order. */
    private static List<String> rows(DataSource store, String table) {
        return JdbcClient.create(store).sql("select t::text from scim." + table + " t order by 1").query(String.class).list().stream()
                .map(row -> table.equals("applied_changes") ? row.substring(0, row.lastIndexOf(',')) : row) // applied_at: now()
                .toList();
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) UserStoreFixture.JSON.readTree(text);
    }
}
