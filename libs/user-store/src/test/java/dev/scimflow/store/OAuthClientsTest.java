package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.store.OAuthClients.ClientInfo;
import dev.scimflow.store.OAuthClients.IssuedSecret;
import dev.scimflow.store.SigningKeys.SigningKey;

/** OAuth clients and signing keys against a real PostgreSQL: secrets hashed, rotation with overlap, revocation, key publication. */
class OAuthClientsTest {

    private static UserStoreFixture store;
    private static OAuthClients clients;
    private static TenantTokens tokens;
    private String tenant;

    @BeforeAll
    static void userStore() {
        store = new UserStoreFixture();
        clients = new OAuthClients(store.dataSource);
        tokens = new TenantTokens(store.dataSource);
    }

    @BeforeEach
    void tenantOfItsOwn() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(tenant);
    }

    @Test
    void aClientSecretIsStoredAsItsHashOnlyAndAuthenticatesItsClientToItsTenant() {
        IssuedSecret issued = clients.create(tenant, "entra");

        assertThat(issued.clientSecret()).startsWith(OAuthClients.SECRET_PREFIX);
        assertThat(issued.clientId()).startsWith(OAuthClients.ID_PREFIX);
        String rows = JdbcClient.create(store.dataSource)
                .sql("select string_agg(s::text, ',') from scim.oauth_client_secrets s where client_id = ?")
                .param(issued.clientId()).query(String.class).single();
        assertThat(rows).doesNotContain(issued.clientSecret().substring(OAuthClients.SECRET_PREFIX.length()))
                .contains(HexFormat.of().formatHex(TenantTokens.hash(issued.clientSecret())));
        assertThat(clients.authenticate(issued.clientId(), issued.clientSecret())).contains(tenant);
        assertThat(clients.authenticate(issued.clientId(), issued.clientSecret() + "x")).isEmpty();

        IssuedSecret other = clients.create(tenant, "other");
        assertThat(clients.authenticate(other.clientId(), issued.clientSecret())).as("a secret of another client").isEmpty();
    }

    @Test
    void rotationKeepsEverySecretWorkingThroughTheOverlapThenOnlyTheNewest() {
        IssuedSecret first = clients.create(tenant, "entra");
        IssuedSecret second = clients.rotate(first.clientId(), Duration.ofHours(1)).orElseThrow();
        assertThat(clients.authenticate(first.clientId(), first.clientSecret())).contains(tenant);
        assertThat(clients.authenticate(first.clientId(), second.clientSecret())).contains(tenant);
        assertThat(info(first.clientId()).activeSecrets()).isEqualTo(2);

        IssuedSecret third = clients.rotate(first.clientId(), Duration.ofSeconds(1)).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.authenticate(first.clientId(), second.clientSecret()).isEmpty());
        assertThat(clients.authenticate(first.clientId(), first.clientSecret())).isEmpty();
        assertThat(clients.authenticate(first.clientId(), third.clientSecret())).contains(tenant);
        assertThat(info(first.clientId()).activeSecrets()).isEqualTo(1);
    }

    @Test
    void aRevokedClientAuthenticatesWithNoSecretAndCannotBeRotated() {
        IssuedSecret issued = clients.create(tenant, "okta");
        assertThat(clients.principal(issued.clientId())).hasValueSatisfying(p -> assertThat(p.tenant()).isEqualTo(tenant));

        assertThat(clients.revoke(issued.clientId())).isTrue();
        assertThat(clients.revoke(issued.clientId())).isFalse();
        assertThat(clients.authenticate(issued.clientId(), issued.clientSecret())).isEmpty();
        assertThat(clients.principal(issued.clientId())).isEmpty();
        assertThat(clients.rotate(issued.clientId(), Duration.ZERO)).isEmpty();
        assertThat(info(issued.clientId()).revokedAt()).isNotNull();
    }

    @Test
    void theNewestKeySignsAndAReplacedKeyStaysPublishedForTheLifetimeOfItsTokens() {
        SigningKeys keys = new SigningKeys(store.dataSource);
        keys.ensureCurrent(Duration.ofDays(30));
        assertThat(keys.ensureCurrent(Duration.ofDays(30))).as("a young key is kept").isFalse();
        String before = keys.published(Duration.ofHours(1)).get(0).id();

        String rotated = keys.rotate();
        List<SigningKey> published = keys.published(Duration.ofHours(1));
        assertThat(published.get(0).id()).isEqualTo(rotated);
        assertThat(published).extracting(SigningKey::id).contains(before);

        // the key that replaced it was made two hours ago: tokens of one hour signed before that have all expired
        JdbcClient.create(store.dataSource).sql("update scim.oauth_signing_keys set created_at = now() - interval '3 hours' where id = ?")
                .param(before).update();
        JdbcClient.create(store.dataSource).sql("update scim.oauth_signing_keys set created_at = now() - interval '2 hours' where id = ?")
                .param(rotated).update();
        assertThat(keys.published(Duration.ofHours(1))).extracting(SigningKey::id).doesNotContain(before).startsWith(rotated);
    }

    private ClientInfo info(String clientId) {
        return clients.list(tenant).stream().filter(c -> c.id().equals(clientId)).findFirst().orElseThrow();
    }

    @Test
    void authorizationsAreFoundByTheirHashesUntilTheyExpireOrTheirClientIsRevoked() {
        OAuthAuthorizations authorizations = new OAuthAuthorizations(store.dataSource);
        IssuedSecret client = clients.create(tenant, "okta", List.of("https://okta.example/callback"));
        byte[] refresh = TenantTokens.hash("refresh-1");
        authorizations.save(new OAuthAuthorizations.StoredAuthorization("a1", client.clientId(), tenant, null, TenantTokens.hash("code-1"),
                refresh, new byte[]{1, 2, 3}, java.time.Instant.now().plusSeconds(60)));
        assertThat(authorizations.byHash(OAuthAuthorizations.Key.REFRESH_TOKEN, refresh))
                .hasValueSatisfying(c -> assertThat(c).containsExactly(1, 2, 3));
        assertThat(authorizations.byHash(OAuthAuthorizations.Key.CODE, refresh)).as("another kind of token").isEmpty();

        byte[] rotated = TenantTokens.hash("refresh-2");
        authorizations.save(new OAuthAuthorizations.StoredAuthorization("a1", client.clientId(), tenant, null, TenantTokens.hash("code-1"),
                rotated, new byte[]{4}, java.time.Instant.now().plusSeconds(60)));
        assertThat(authorizations.byHash(OAuthAuthorizations.Key.REFRESH_TOKEN, refresh)).as("replaced").isEmpty();
        assertThat(authorizations.byId("a1")).hasValueSatisfying(c -> assertThat(c).containsExactly(4));

        authorizations.save(new OAuthAuthorizations.StoredAuthorization("a2", client.clientId(), tenant, null, null,
                TenantTokens.hash("refresh-3"), new byte[]{5}, java.time.Instant.now().minusSeconds(1)));
        assertThat(authorizations.byId("a2")).as("expired").isEmpty();

        authorizations.consent(client.clientId(), tenant, List.of("SCOPE_scim"));
        assertThat(authorizations.consented(client.clientId(), tenant)).containsExactly("SCOPE_scim");
        clients.revoke(client.clientId());
        assertThat(authorizations.byId("a1")).as("revoked client").isEmpty();
        assertThat(authorizations.consented(client.clientId(), tenant)).isEmpty();
        assertThat(JdbcClient.create(store.dataSource).sql("select count(*) from scim.oauth_authorizations where client_id = ?")
                .param(client.clientId()).query(Long.class).single()).as("deleted with the client's revocation").isZero();
    }
}
