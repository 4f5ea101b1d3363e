package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens.IssuedToken;
import dev.scimflow.store.TenantTokens.TokenInfo;
import dev.scimflow.testing.TestInfrastructure;

/** Token lifecycle against a real PostgreSQL: issue, several active tokens, rotation with overlap, expiry, revocation, last use. */
class TenantTokensTest {

    private static UserStoreFixture store;
    private static TenantTokens tokens;
    private String tenant;

    @BeforeAll
    static void userStore() {
        store = new UserStoreFixture();
        tokens = new TenantTokens(store.dataSource);
    }

    @BeforeEach
    void tenantOfItsOwn() {
        tenant = "t-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(tenant);
    }

    @Test
    void anIssuedTokenHasThePrefixAnd256RandomBitsAndOnlyItsHashIsStored() {
        IssuedToken issued = tokens.issue(tenant, "okta");

        assertThat(issued.token()).startsWith(TenantTokens.PREFIX);
        assertThat(java.util.Base64.getUrlDecoder().decode(issued.token().substring(TenantTokens.PREFIX.length()))).hasSize(32);
        String row = JdbcClient.create(store.dataSource).sql("select t::text from scim.tenant_tokens t where id = ?")
                .param(issued.id()).query(String.class).single();
        assertThat(row).doesNotContain(issued.token()).doesNotContain(issued.token().substring(TenantTokens.PREFIX.length()))
                .contains(HexFormat.of().formatHex(TenantTokens.hash(issued.token())));
    }

    @Test
    void aTenantCanHoldSeveralActiveTokensEachSpeakingForItAlone() {
        IssuedToken first = tokens.issue(tenant, "okta");
        IssuedToken second = tokens.issue(tenant, "entra");
        String other = "t-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(other);
        IssuedToken theirs = tokens.issue(other, "okta");

        assertThat(tokens.authenticate(first.token())).hasValueSatisfying(p -> assertThat(p.tenant()).isEqualTo(tenant));
        assertThat(tokens.authenticate(second.token())).hasValueSatisfying(p -> assertThat(p.tokenId()).isEqualTo(second.id()));
        assertThat(tokens.authenticate(theirs.token())).hasValueSatisfying(p -> assertThat(p.tenant()).isEqualTo(other));
        assertThat(tokens.authenticate(first.token() + "x")).isEmpty();
        assertThat(tokens.authenticate(first.token().toUpperCase())).isEmpty();
    }

    @Test
    void rotationIssuesANewTokenAndTheOldOneWorksUntilTheOverlapEnds() {
        IssuedToken old = tokens.issue(tenant, "okta");

        IssuedToken rotated = tokens.rotate(old.id(), Duration.ofHours(24)).orElseThrow();

        assertThat(rotated.tenant()).isEqualTo(tenant);
        assertThat(rotated.token()).startsWith(TenantTokens.PREFIX).isNotEqualTo(old.token());
        assertThat(tokens.authenticate(rotated.token())).isPresent();
        assertThat(tokens.authenticate(old.token())).isPresent();
        TokenInfo oldInfo = info(old.id());
        assertThat(oldInfo.expiresAt()).isBetween(Instant.now().plus(23, ChronoUnit.HOURS), Instant.now().plus(25, ChronoUnit.HOURS));
        assertThat(oldInfo.replacedBy()).isEqualTo(rotated.id());
        assertThat(info(rotated.id()).label()).isEqualTo("okta");
        assertThat(info(rotated.id()).expiresAt()).isNull();
    }

    @Test
    void anExpiredTokenIsRefused() {
        IssuedToken old = tokens.issue(tenant, "okta");
        IssuedToken rotated = tokens.rotate(old.id(), Duration.ofMillis(500)).orElseThrow();

        await().atMost(Duration.ofSeconds(5)).until(() -> tokens.authenticate(old.token()).isEmpty());
        assertThat(tokens.authenticate(rotated.token())).isPresent();
        assertThat(tokens.rotate(old.id(), Duration.ofHours(1))).as("an expired token cannot be rotated again").isEmpty();
    }

    @Test
    void rotatingWithoutOverlapEndsTheOldTokenAtOnceAndRotationNeverExtendsAnExpiry() {
        IssuedToken old = tokens.issue(tenant, "okta");
        tokens.rotate(old.id(), Duration.ZERO).orElseThrow();
        assertThat(tokens.authenticate(old.token())).isEmpty();

        IssuedToken other = tokens.issue(tenant, "entra");
        tokens.rotate(other.id(), Duration.ofMinutes(5)).orElseThrow();
        Instant firstExpiry = info(other.id()).expiresAt();
        tokens.rotate(other.id(), Duration.ofDays(30)).orElseThrow();
        assertThat(info(other.id()).expiresAt()).isEqualTo(firstExpiry);
    }

    @Test
    void aRevokedTokenIsRefusedAndCannotBeRotated() {
        IssuedToken token = tokens.issue(tenant, "okta");

        assertThat(tokens.revoke(token.id())).isTrue();

        assertThat(tokens.authenticate(token.token())).isEmpty();
        assertThat(tokens.rotate(token.id(), Duration.ofHours(1))).isEmpty();
        assertThat(tokens.rotate("tok_unknown", Duration.ofHours(1))).isEmpty();
        assertThat(tokens.revoke(token.id())).isFalse();
    }

    @Test
    void lastUseIsRecordedAndNeverMovesBackwards() {
        IssuedToken token = tokens.issue(tenant, "okta");
        Instant later = Instant.parse("2026-06-01T12:00:00Z");

        tokens.recordUse(token.id(), later);
        tokens.recordUse(token.id(), later.minusSeconds(60));

        assertThat(info(token.id()).lastUsedAt()).isEqualTo(later);
    }

    @Test
    void theTokensPrincipalCarriesWhereTheTenantsResponsesPutTheRole() {
        String core = "t-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(core, RoleAttribute.CORE);
        IssuedToken coreToken = tokens.issue(core, "okta");
        IssuedToken extensionToken = tokens.issue(tenant, "entra");

        assertThat(tokens.authenticate(coreToken.token()))
                .hasValueSatisfying(p -> assertThat(p.roleAttribute()).isEqualTo(RoleAttribute.CORE));
        assertThat(tokens.authenticate(extensionToken.token()))
                .hasValueSatisfying(p -> assertThat(p.roleAttribute()).isEqualTo(RoleAttribute.EXTENSION));
    }

    @Test
    void anExistingTenantsRoleAttributeCanBeChanged() {
        IssuedToken token = tokens.issue(tenant, "okta");

        assertThat(tokens.setRoleAttribute(tenant, RoleAttribute.CORE)).isTrue();

        assertThat(tokens.roleAttribute(tenant)).hasValue(RoleAttribute.CORE);
        assertThat(tokens.authenticate(token.token())).hasValueSatisfying(p -> assertThat(p.roleAttribute()).isEqualTo(RoleAttribute.CORE));
        assertThat(tokens.setRoleAttribute("t-no-such-tenant", RoleAttribute.CORE)).isFalse();
        assertThat(tokens.roleAttribute("t-no-such-tenant")).isEmpty();
    }

    @Test
    void tenantsThatExistedBeforeTheChoiceKeepRoleAtTheTopAndNewOnesGetTheExtension() {
        TestInfrastructure.Database database = TestInfrastructure.newDatabase();
        DataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(),
                database.password());
        Flyway.configure().dataSource(dataSource).schemas(UserStoreSchema.SCHEMA).defaultSchema(UserStoreSchema.SCHEMA)
                .locations(UserStoreSchema.LOCATION).target("4").load().migrate();
        JdbcClient.create(dataSource).sql("insert into scim.tenants (id) values ('before')").update();

        UserStoreSchema.migrate(dataSource);
        TenantTokens upgraded = new TenantTokens(dataSource);
        upgraded.createTenant("after");

        assertThat(upgraded.roleAttribute("before")).hasValue(RoleAttribute.CORE);
        assertThat(upgraded.roleAttribute("after")).hasValue(RoleAttribute.EXTENSION);
    }

    private TokenInfo info(String id) {
        List<TokenInfo> all = tokens.list(tenant);
        return all.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }
}
