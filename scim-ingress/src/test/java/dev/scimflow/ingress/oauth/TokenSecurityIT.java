package dev.scimflow.ingress.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.Topics;
import dev.scimflow.ingress.IngressHttp;
import dev.scimflow.ingress.MigratedStore;
import dev.scimflow.ingress.auth.TokenUsage;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.store.OAuthClients;
import dev.scimflow.store.OAuthClients.IssuedSecret;
import dev.scimflow.store.SigningKeys;
import dev.scimflow.store.SigningKeys.SigningKey;
import dev.scimflow.store.StoredUser;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.IssuedToken;
import dev.scimflow.store.TenantTokens.TokenInfo;
import dev.scimflow.store.Users;
import dev.scimflow.testing.CreationTimes;
import dev.scimflow.testing.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * Token lifecycle as the ingress enforces it (rotation with overlap, expiry, revocation: refused on the very next
 * request; last use recorded without a write per request) and token secrecy: with our code and Spring MVC logging
 * at DEBUG, no token (valid, wrong, revoked) appears in the logs, in error bodies, in metrics or in the change
 * published to Kafka. The same for OAuth 2.0: the client credentials flow as an IdP runs it, every kind of bad access
 * token refused with a SCIM 401, signing-key rotation that keeps earlier tokens valid, and no client secret or access
 * token in the logs or the published change.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scimflow.ingress.outcome-timeout=2s", "logging.level.dev.scimflow=DEBUG", "logging.level.org.springframework.web=DEBUG",
        "logging.level.org.springframework.kafka=DEBUG", "scimflow.ingress.oauth.refresh-token-ttl=" + TokenSecurityIT.REFRESH_TTL})
class TokenSecurityIT {

    /** The token cache's lifetime (1 s), plus time for the requests that find the token refused on a busy machine. */
    private static final Duration CACHE_BOUND = Duration.ofSeconds(3);
    /** Refresh tokens' lifetime here: long enough for a flow on a busy machine, short enough to see one expire. */
    static final String REFRESH_TTL = "8s";
    private static final String CALLBACK = "https://okta.example.test/admin/app/cpc/scimflow/oauth/callback";

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    SigningKeyring keyring;

    IngressHttp http;
    TenantTokens tokens;
    String tenant;
    IssuedToken issued;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        MigratedStore.register(registry);
    }

    @BeforeEach
    void tenantWithToken() {
        http = new IngressHttp(port);
        tokens = new TenantTokens(dataSource);
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(tenant);
        issued = tokens.issue(tenant, "okta");
    }

    @Test
    void aRotatedTokenKeepsWorkingThroughTheOverlapAndTheNewOneWorksAtOnce() {
        IssuedToken rotated = tokens.rotate(issued.id(), Duration.ofHours(24)).orElseThrow();

        assertThat(http.get("/scim/v2/Users", issued.token()).statusCode()).isEqualTo(200);
        assertThat(http.get("/scim/v2/Users", rotated.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredRotatedOrRevokedTokenIsRefusedWithinTheTokenCacheBound() {
        assertThat(http.get("/scim/v2/Users", issued.token()).statusCode()).isEqualTo(200);
        IssuedToken rotated = tokens.rotate(issued.id(), Duration.ZERO).orElseThrow();
        await().atMost(CACHE_BOUND).until(() -> http.get("/scim/v2/Users", issued.token()).statusCode() == 401);

        IssuedToken shortLived = tokens.rotate(rotated.id(), Duration.ofSeconds(1)).orElseThrow();
        assertThat(http.get("/scim/v2/Users", rotated.token()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/scim/v2/Users", rotated.token()).statusCode() == 401);

        assertThat(http.get("/scim/v2/Users", shortLived.token()).statusCode()).isEqualTo(200);
        tokens.revoke(shortLived.id());
        await().atMost(CACHE_BOUND).until(() -> http.get("/scim/v2/Users", shortLived.token()).statusCode() == 401);
    }

    @Test
    void malformedAndLookalikeCredentialsAreUnauthorized() {
        String hashOfTheToken = HexFormat.of().formatHex(TenantTokens.hash(issued.token()));
        List<String> headers = List.of("Bearer", "Bearer ", "Bearer    ", "Basic " + issued.token(), issued.token(),
                "Bearer " + hashOfTheToken, "Bearer " + issued.token().substring(0, issued.token().length() - 1),
                "Bearer " + issued.token() + "A", "Bearer " + issued.token().toUpperCase(), "Bearer scimflow_",
                "Bearer " + TenantTokens.PREFIX + "A".repeat(43), "Bearer\t" + issued.token() + "\t");
        for (String header : headers) {
            HttpResponse<String> response = http.send(http.request("/scim/v2/Users", null).header("Authorization", header).GET());
            assertThat(response.statusCode()).as(header).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @Test
    void lastUseIsRecordedOnceAMinutePerTokenNotOnEveryRequest() {
        Instant before = Instant.now().minusSeconds(1);
        assertThat(http.get("/scim/v2/Users", issued.token()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> info().lastUsedAt() != null);
        Instant first = info().lastUsedAt();
        assertThat(first).isAfter(before);

        for (int i = 0; i < 5; i++) {
            http.get("/scim/v2/Users", issued.token());
        }

        assertThat(info().lastUsedAt()).as("not written again within " + TokenUsage.INTERVAL).isEqualTo(first);
    }

    @Test
    void noTokenAppearsInLogsErrorsMetricsOrThePublishedChange(CapturedOutput output) {
        IssuedToken revoked = tokens.issue(tenant, "old");
        tokens.revoke(revoked.id());
        String wrong = TenantTokens.PREFIX + "NotARealTokenButLooksLikeOne0123456789abcdef";
        String userName = "secret-test-" + UUID.randomUUID() + "@example.com";
        StringBuilder bodies = new StringBuilder();

        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            for (String token : List.of(wrong, revoked.token(), issued.token())) {
                bodies.append(http.get("/scim/v2/Users", token).body());
            }
            bodies.append(http.get("/scim/v2/Users?filter=" + IngressHttp.query("userName eq"), issued.token()).body());
            bodies.append(http.get("/scim/v2/Users/" + UUID.randomUUID(), issued.token()).body());
            bodies.append(http.send("POST", "/scim/v2/Users", issued.token(), "{\"userName\":").body());
            bodies.append(http.send("POST", "/scim/v2/Users", issued.token(), "{\"userName\":\"" + userName + "\"}").body());
            bodies.append(http.send("POST", "/scim/v2/Users", issued.token(), "{\"userName\":\"" + "x".repeat(300_000) + "\"}").body());
            bodies.append(http.get("/actuator/prometheus", null).body());
            await().untilAsserted(() -> assertThat(changes.records(r -> new String(r.value()).contains(userName))).hasSize(1));

            String published = new String(changes.records(r -> new String(r.value()).contains(userName)).get(0).value());
            for (String secret : List.of(wrong, revoked.token(), issued.token())) {
                String withoutPrefix = secret.substring(TenantTokens.PREFIX.length());
                assertThat(output.getAll()).doesNotContain(withoutPrefix);
                assertThat(bodies.toString()).doesNotContain(withoutPrefix);
                assertThat(published).doesNotContain(withoutPrefix);
            }
            assertThat(published).contains(issued.id());
        }
        assertThat(output.getAll()).as("the run did log at DEBUG").contains("DEBUG");
    }

    @Test
    void anIdPGetsAnAccessTokenByClientCredentialsAndProvisionsWithItAsItsClient() throws Exception {
        IssuedSecret client = new OAuthClients(dataSource).create(tenant, "entra");
        JsonNode metadata = IngressHttp.json(http.get("/.well-known/oauth-authorization-server", null));
        assertThat(metadata.get("issuer").asString()).isEqualTo(issuer());
        assertThat(metadata.get("token_endpoint").asString()).isEqualTo(issuer() + "/oauth2/token");
        assertThat(metadata.get("grant_types_supported").toString())
                .isEqualTo("[\"authorization_code\",\"client_credentials\",\"refresh_token\"]");
        assertThat(metadata.get("authorization_endpoint").asString()).isEqualTo(issuer() + "/oauth2/authorize");
        assertThat(metadata.get("jwks_uri").asString()).isEqualTo(issuer() + "/oauth2/jwks");
        assertThat(metadata.get("token_endpoint_auth_methods_supported").toString()).contains("client_secret_basic", "client_secret_post");

        HttpResponse<String> answer = tokenRequest(client.clientId(), client.clientSecret(), true);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode token = IngressHttp.json(answer);
        assertThat(token.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asLong()).isBetween(3500L, 3600L);
        String accessToken = token.get("access_token").asString();
        JsonNode claims = claims(accessToken);
        assertThat(claims.get("sub").asString()).isEqualTo(client.clientId());
        assertThat(claims.get("tenant").asString()).isEqualTo(tenant);
        assertThat(claims.get("aud").toString()).contains(issuer() + "/scim/v2");
        String kid = IngressHttp.json(http.get("/oauth2/jwks", null)).get("keys").get(0).get("kid").asString();
        assertThat(kid).isEqualTo(header(accessToken).get("kid").asString());

        String userName = "oauth-" + UUID.randomUUID() + "@example.com";
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            assertThat(http.get("/scim/v2/Users", accessToken).statusCode()).isEqualTo(200);
            // no worker runs here: the change is published with the client as its actor (then answered 503)
            HttpResponse<String> created = http.send("POST", "/scim/v2/Users", accessToken, "{\"userName\":\"" + userName + "\"}");
            assertThat(created.statusCode()).as(created.body()).isNotEqualTo(401);
            await().untilAsserted(() -> assertThat(changes.records(r -> new String(r.value()).contains(userName))).hasSize(1));
            String published = new String(changes.records(r -> new String(r.value()).contains(userName)).get(0).value());
            assertThat(published).as("the actor is the OAuth client").contains("\"tokenId\":\"" + client.clientId() + "\"");
        }
        StoredUser stored = new StoredUser(tenant, UUID.randomUUID().toString(),
                ScimUsers.validateForWrite(EventCodec.mapper().readTree("{\"userName\":\"" + userName + "\"}")), 1, CreationTimes.next(),
                CreationTimes.next());
        new Users(dataSource).insert(stored);
        String userId = stored.id();

        HttpResponse<String> byPost = tokenRequest(client.clientId(), client.clientSecret(), false);
        assertThat(byPost.statusCode()).as("client_secret_post").isEqualTo(200);
        String[] other = IngressHttp.newTenant(dataSource);
        IssuedSecret otherClient = new OAuthClients(dataSource).create(other[0], "okta");
        String otherToken = IngressHttp.json(tokenRequest(otherClient.clientId(), otherClient.clientSecret(), true)).get("access_token")
                .asString();
        assertThat(http.get("/scim/v2/Users/" + userId, otherToken).statusCode()).as("another tenant's token").isEqualTo(404);
        assertThat(http.get("/scim/v2/Users/" + userId, accessToken).statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenEndpointRefusesAWrongExpiredOrRevokedSecretAndARotatedSecretKeepsWorkingThroughTheOverlap() {
        OAuthClients clients = new OAuthClients(dataSource);
        IssuedSecret client = clients.create(tenant, "entra");
        assertThat(tokenRequest(client.clientId(), client.clientSecret() + "x", true).statusCode()).isEqualTo(401);
        assertThat(tokenRequest(client.clientId(), issued.token(), false).statusCode()).as("a static token is no client secret")
                .isEqualTo(401);
        assertThat(tokenRequest("oac_unknown", client.clientSecret(), true).body()).contains("invalid_client");

        IssuedSecret rotated = clients.rotate(client.clientId(), Duration.ofHours(1)).orElseThrow();
        assertThat(tokenRequest(client.clientId(), client.clientSecret(), true).statusCode()).isEqualTo(200);
        assertThat(tokenRequest(client.clientId(), rotated.clientSecret(), false).statusCode()).isEqualTo(200);
        clients.rotate(client.clientId(), Duration.ZERO).orElseThrow();
        assertThat(tokenRequest(client.clientId(), rotated.clientSecret(), true).statusCode()).isEqualTo(401);

        IssuedSecret revoked = clients.create(tenant, "old");
        clients.revoke(revoked.clientId());
        assertThat(tokenRequest(revoked.clientId(), revoked.clientSecret(), true).statusCode()).isEqualTo(401);
    }

    @Test
    void expiredForeignTenantWrongAudienceTamperedAndRevokedClientTokensAreRefusedWithAScimError() throws Exception {
        OAuthClients clients = new OAuthClients(dataSource);
        IssuedSecret client = clients.create(tenant, "entra");
        String valid = accessToken(client);
        String[] other = IngressHttp.newTenant(dataSource);
        Date inAnHour = Date.from(Instant.now().plusSeconds(3600));
        String audience = issuer() + "/scim/v2";

        String expired = signed(
                claims(client.clientId(), tenant, audience, issuer()).expirationTime(Date.from(Instant.now().minusSeconds(120))));
        String foreignTenant = signed(claims(client.clientId(), other[0], audience, issuer()).expirationTime(inAnHour));
        String wrongAudience = signed(
                claims(client.clientId(), tenant, "https://elsewhere.example/scim/v2", issuer()).expirationTime(inAnHour));
        String wrongIssuer = signed(claims(client.clientId(), tenant, audience, "https://elsewhere.example").expirationTime(inAnHour));
        String[] parts = valid.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims(valid).toString().replace(tenant, other[0]).getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + otherPayload + "." + parts[2];
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        String selfSigned = selfSigned(claims(client.clientId(), tenant, audience, issuer()).expirationTime(inAnHour));

        assertThat(http.get("/scim/v2/Users", valid).statusCode()).isEqualTo(200);
        assertThat(http.get("/scim/v2/Users", signed(claims(client.clientId(), tenant, audience, issuer()).expirationTime(inAnHour)))
                .statusCode()).as("the forging itself is right").isEqualTo(200);
        for (String token : List.of(expired, foreignTenant, wrongAudience, wrongIssuer, tampered, unsigned, selfSigned)) {
            assertRefusedWithScimError(token);
        }

        clients.revoke(client.clientId());
        await().atMost(CACHE_BOUND).until(() -> http.get("/scim/v2/Users", valid).statusCode() == 401);
        assertRefusedWithScimError(valid);
    }

    @Test
    void aNewSigningKeySignsAtOnceAfterARefreshAndTokensOfTheOldKeyStayValid() {
        IssuedSecret client = new OAuthClients(dataSource).create(tenant, "entra");
        String before = accessToken(client);

        String newKey = new SigningKeys(dataSource).rotate();
        keyring.refresh();
        String after = accessToken(client);

        assertThat(header(after).get("kid").asString()).isEqualTo(newKey);
        assertThat(header(before).get("kid").asString()).isNotEqualTo(newKey);
        assertThat(http.get("/scim/v2/Users", before).statusCode()).isEqualTo(200);
        assertThat(http.get("/scim/v2/Users", after).statusCode()).isEqualTo(200);
        assertThat(IngressHttp.json(http.get("/oauth2/jwks", null)).get("keys").toString())
                .contains(newKey).contains(header(before).get("kid").asString()).doesNotContain("\"d\":");
    }

    @Test
    void noClientSecretOrAccessTokenAppearsInLogsErrorsMetricsOrThePublishedChange(CapturedOutput output) {
        IssuedSecret client = new OAuthClients(dataSource).create(tenant, "entra");
        String accessToken = accessToken(client);
        String userName = "oauth-secret-" + UUID.randomUUID() + "@example.com";
        StringBuilder bodies = new StringBuilder();
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            bodies.append(tokenRequest(client.clientId(), client.clientSecret() + "x", true).body());
            bodies.append(http.send("POST", "/scim/v2/Users", accessToken, "{\"userName\":\"" + userName + "\"}").body());
            bodies.append(http.get("/scim/v2/Users", accessToken.substring(0, accessToken.length() - 2)).body());
            bodies.append(http.get("/actuator/prometheus", null).body());
            await().untilAsserted(() -> assertThat(changes.records(r -> new String(r.value()).contains(userName))).hasSize(1));
            String published = new String(changes.records(r -> new String(r.value()).contains(userName)).get(0).value());
            String signature = accessToken.substring(accessToken.lastIndexOf('.') + 1);
            String secret = client.clientSecret().substring(OAuthClients.SECRET_PREFIX.length());
            for (String text : List.of(output.getAll(), bodies.toString(), published)) {
                assertThat(text).doesNotContain(secret).doesNotContain(signature);
            }
        }
    }

    @Test
    void aTokenOfAnIssuerTheTenantTrustsSpeaksForItOnlyWithTheTrustedAudienceSubjectAndKeys() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair entraKey = generator.generateKeyPair();
        String jwks = new com.nimbusds.jose.jwk.JWKSet(new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) entraKey.getPublic()).keyID("entra-1").build()).toString();
        com.sun.net.httpserver.HttpServer keys = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        keys.createContext("/keys", exchange -> {
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.start();
        try {
            String entra = "https://login.example.test/" + UUID.randomUUID() + "/v2.0";
            dev.scimflow.store.TrustedIssuers trusts = new dev.scimflow.store.TrustedIssuers(dataSource);
            String trust = trusts.add(tenant, entra, "api://scimflow", "sp-1",
                    "http://127.0.0.1:" + keys.getAddress().getPort() + "/keys").id();
            Date inAnHour = Date.from(Instant.now().plusSeconds(3600));

            String valid = signedBy(entraKey, "entra-1", claims("sp-1", null, "api://scimflow", entra).expirationTime(inAnHour));
            try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
                String userName = "wif-" + UUID.randomUUID() + "@example.com";
                assertThat(http.get("/scim/v2/Users", valid).statusCode()).isEqualTo(200);
                http.send("POST", "/scim/v2/Users", valid, "{\"userName\":\"" + userName + "\"}");
                await().untilAsserted(() -> assertThat(changes.records(r -> new String(r.value()).contains(userName))).hasSize(1));
                assertThat(new String(changes.records(r -> new String(r.value()).contains(userName)).get(0).value()))
                        .as("the actor is the trust").contains("\"tokenId\":\"" + trust + "\"");
            }
            for (String token : List.of(
                    signedBy(entraKey, "entra-1", claims("sp-2", null, "api://scimflow", entra).expirationTime(inAnHour)),
                    signedBy(entraKey, "entra-1", claims("sp-1", null, "api://other", entra).expirationTime(inAnHour)),
                    signedBy(entraKey, "entra-1", claims("sp-1", null, "api://scimflow", entra + "x").expirationTime(inAnHour)),
                    signedBy(entraKey, "entra-1", claims("sp-1", null, "api://scimflow", entra)
                            .expirationTime(Date.from(Instant.now().minusSeconds(120)))),
                    signedBy(generator.generateKeyPair(), "entra-1",
                            claims("sp-1", null, "api://scimflow", entra).expirationTime(inAnHour)))) {
                assertRefusedWithScimError(token);
            }

            trusts.remove(trust);
            await().atMost(CACHE_BOUND).until(() -> http.get("/scim/v2/Users", valid).statusCode() == 401);
        } finally {
            keys.stop(0);
        }
    }

    @Test
    void oktasOAuthModeAuthorizesWithTheTenantsAdministratorThenRefreshesWithRotation(CapturedOutput output) {
        IssuedSecret client = new OAuthClients(dataSource).create(tenant, "okta", List.of(CALLBACK));
        String verifier = "pkce-verifier-" + UUID.randomUUID() + UUID.randomUUID();
        Browser browser = new Browser();

        URI sentBack = browser.authorize(client.clientId(), CALLBACK, "okta-state/1 2", tenant, issued.token(),
                "&code_challenge_method=S256&code_challenge=" + challenge(verifier));
        assertThat(sentBack.toString()).startsWith(CALLBACK + "?");
        assertThat(param(sentBack, "state")).as("state round-trips").isEqualTo("okta-state/1 2");
        String code = param(sentBack, "code");
        assertThat(browser.get(authorizeUrl(client.clientId(), CALLBACK, "again")).headers().firstValue("Location"))
                .as("the sign-in's session ended with the code")
                .hasValueSatisfying(l -> assertThat(l).contains(AdministratorPages.SIGN_IN));

        HttpResponse<String> answer = tokenRequest(client, "grant_type=authorization_code&code=" + IngressHttp.query(code)
                + "&redirect_uri=" + IngressHttp.query(CALLBACK) + "&code_verifier=" + verifier);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode tokens = IngressHttp.json(answer);
        String accessToken = tokens.get("access_token").asString();
        String refreshToken = tokens.get("refresh_token").asString();
        assertThat(claims(accessToken).get("sub").asString()).isEqualTo(client.clientId());
        assertThat(claims(accessToken).get("tenant").asString()).isEqualTo(tenant);
        String stored = JdbcClient.create(dataSource)
                .sql("select string_agg(encode(content, 'escape') || encode(coalesce(code_hash, ''), 'hex'), '') from scim.oauth_authorizations"
                        + " where client_id = ?")
                .param(client.clientId()).query(String.class).single();
        assertThat(stored).as("stored hashed").doesNotContain(code).doesNotContain(refreshToken)
                .contains(HexFormat.of().formatHex(TenantTokens.hash(code)));

        String userName = "okta-oauth-" + UUID.randomUUID() + "@example.com";
        try (TopicReader changes = new TopicReader(Topics.CHANGES)) {
            HttpResponse<String> created = http.send("POST", "/scim/v2/Users", accessToken, "{\"userName\":\"" + userName + "\"}");
            assertThat(created.statusCode()).as(created.body()).isNotEqualTo(401);
            await().untilAsserted(() -> assertThat(changes.records(r -> new String(r.value()).contains(userName))).hasSize(1));
            assertThat(new String(changes.records(r -> new String(r.value()).contains(userName)).get(0).value()))
                    .as("the actor is the OAuth client").contains("\"tokenId\":\"" + client.clientId() + "\"");
        }

        HttpResponse<String> refreshed = tokenRequest(client, "grant_type=refresh_token&refresh_token=" + IngressHttp.query(refreshToken));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String newAccessToken = IngressHttp.json(refreshed).get("access_token").asString();
        String newRefreshToken = IngressHttp.json(refreshed).get("refresh_token").asString();
        assertThat(newRefreshToken).isNotEqualTo(refreshToken);
        assertThat(http.get("/scim/v2/Users", newAccessToken).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = tokenRequest(client, "grant_type=refresh_token&refresh_token=" + IngressHttp.query(refreshToken));
        assertThat(replayed.statusCode()).as("the used refresh token").isEqualTo(400);
        assertThat(replayed.body()).contains("invalid_grant");
        assertThat(tokenRequest(client, "grant_type=refresh_token&refresh_token=" + IngressHttp.query(newRefreshToken)).statusCode())
                .isEqualTo(200);
        for (String secret : List.of(code, refreshToken, newRefreshToken, issued.token())) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    @Test
    void theAuthorizationCodeGrantRefusesAWrongRedirectUriAReusedCodeAnotherClientsCodeAndAnotherTenantsAdministrator() {
        OAuthClients clients = new OAuthClients(dataSource);
        IssuedSecret client = clients.create(tenant, "okta", List.of(CALLBACK));
        IssuedSecret sibling = clients.create(tenant, "okta 2", List.of(CALLBACK));

        HttpResponse<String> wrongRedirect = new Browser().get(authorizeUrl(client.clientId(), CALLBACK + "/elsewhere", "s"));
        assertThat(wrongRedirect.statusCode()).as("not sent to an unregistered URI").isEqualTo(400);
        assertThat(wrongRedirect.headers().firstValue("Location")).isEmpty();

        String code = param(new Browser().authorize(client.clientId(), CALLBACK, "s1", tenant, issued.token(), ""), "code");
        assertThat(tokenRequest(sibling, codeForm(code)).body()).as("another client's code").contains("invalid_grant");
        String code2 = param(new Browser().authorize(client.clientId(), CALLBACK, "s2", tenant, issued.token(), ""), "code");
        HttpResponse<String> first = tokenRequest(client, codeForm(code2));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> reused = tokenRequest(client, codeForm(code2));
        assertThat(reused.statusCode()).as("a code works once").isEqualTo(400);
        assertThat(reused.body()).contains("invalid_grant");
        String refreshOfReusedCode = IngressHttp.json(first).get("refresh_token").asString();
        assertThat(tokenRequest(client, "grant_type=refresh_token&refresh_token=" + IngressHttp.query(refreshOfReusedCode)).statusCode())
                .as("the tokens of a reused code are invalidated").isEqualTo(400);

        String[] other = IngressHttp.newTenant(dataSource);
        Browser wrongToken = new Browser();
        wrongToken.get(authorizeUrl(client.clientId(), CALLBACK, "s3"));
        assertThat(wrongToken.signIn(tenant, other[1]).headers().firstValue("Location")).as("another tenant's token for this tenant")
                .hasValueSatisfying(l -> assertThat(l).contains(AdministratorPages.SIGN_IN + "?error"));
        Browser otherAdministrator = new Browser();
        otherAdministrator.get(authorizeUrl(client.clientId(), CALLBACK, "s4"));
        URI afterSignIn = URI.create(otherAdministrator.signIn(other[0], other[1]).headers().firstValue("Location").orElseThrow());
        URI refused = URI.create(otherAdministrator.get(afterSignIn.toString()).headers().firstValue("Location").orElseThrow());
        assertThat(refused.toString()).startsWith(CALLBACK + "?");
        assertThat(param(refused, "error")).isEqualTo("access_denied");
        assertThat(param(refused, "state")).isEqualTo("s4");
        assertThat(refused.getQuery()).doesNotContain("code=");
    }

    @Test
    void aRevokedClientsRefreshTokenFailsAtOnceAndAnExpiredRefreshTokenFails() {
        OAuthClients clients = new OAuthClients(dataSource);
        IssuedSecret revoked = clients.create(tenant, "okta", List.of(CALLBACK));
        IssuedSecret expiring = clients.create(tenant, "okta 2", List.of(CALLBACK));
        String revokedRefresh = refreshToken(revoked);
        String expiringRefresh = refreshToken(expiring);

        clients.revoke(revoked.clientId());
        assertThat(tokenRequest(revoked, "grant_type=refresh_token&refresh_token=" + IngressHttp.query(revokedRefresh)).statusCode())
                .isEqualTo(401);
        assertThat(JdbcClient.create(dataSource).sql("select count(*) from scim.oauth_authorizations where client_id = ?")
                .param(revoked.clientId()).query(Long.class).single()).as("no code or refresh token is left").isZero();

        Instant expires = JdbcClient.create(dataSource).sql("select max(expires_at) from scim.oauth_authorizations where client_id = ?")
                .param(expiring.clientId()).query(java.sql.Timestamp.class).single().toInstant();
        assertThat(expires).isBefore(Instant.now().plus(Duration.parse("PT" + REFRESH_TTL)));
        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(expires));
        HttpResponse<String> expired = tokenRequest(expiring,
                "grant_type=refresh_token&refresh_token=" + IngressHttp.query(expiringRefresh));
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(400);
        assertThat(expired.body()).contains("invalid_grant");
    }

    private String refreshToken(IssuedSecret client) {
        String code = param(new Browser().authorize(client.clientId(), CALLBACK, "s", tenant, issued.token(), ""), "code");
        HttpResponse<String> answer = tokenRequest(client, codeForm(code));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return IngressHttp.json(answer).get("refresh_token").asString();
    }

    private static String codeForm(String code) {
        return "grant_type=authorization_code&code=" + IngressHttp.query(code) + "&redirect_uri=" + IngressHttp.query(CALLBACK);
    }

    private HttpResponse<String> tokenRequest(IssuedSecret client, String form) {
        return http.send(HttpRequest.newBuilder(http.uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (IngressHttp.query(client.clientId()) + ":" + IngressHttp.query(client.clientSecret()))
                                .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private String authorizeUrl(String clientId, String redirectUri, String state) {
        return issuer() + "/oauth2/authorize?response_type=code&client_id=" + IngressHttp.query(clientId) + "&redirect_uri="
                + IngressHttp.query(redirectUri) + "&state=" + IngressHttp.query(state) + "&scope=scim";
    }

    private static String param(URI uri, String name) {
        return java.util.Arrays.stream(uri.getRawQuery().split("&")).filter(p -> p.startsWith(name + "="))
                .map(p -> java.net.URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8)).findFirst().orElse(null);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tenant administrator's browser: keeps its cookies, follows no redirect by itself. */
    private final class Browser {

        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> get(String url) {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET());
        }

        HttpResponse<String> post(String url, String form) {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        HttpResponse<String> signIn(String tenant, String token) {
            HttpResponse<String> page = get(issuer() + AdministratorPages.SIGN_IN);
            assertThat(page.statusCode()).isEqualTo(200);
            return post(issuer() + AdministratorPages.SIGN_IN, "tenant=" + IngressHttp.query(tenant) + "&token=" + IngressHttp.query(token)
                    + "&_csrf=" + IngressHttp.query(field(page.body(), "_csrf")));
        }

        /**
         * Authorize, sign-in, consent (the first time for a client), as the administrator does them: where the browser is sent
         * back to with the code.
         */
        URI authorize(String clientId, String redirectUri, String state, String tenant, String token, String extra) {
            HttpResponse<String> toSignIn = get(authorizeUrl(clientId, redirectUri, state) + extra);
            assertThat(toSignIn.statusCode()).as(toSignIn.body()).isEqualTo(302);
            assertThat(toSignIn.headers().firstValue("Location").orElseThrow()).contains(AdministratorPages.SIGN_IN);
            HttpResponse<String> signedIn = signIn(tenant, token);
            assertThat(signedIn.statusCode()).isEqualTo(302);
            HttpResponse<String> toConsent = get(location(signedIn));
            assertThat(toConsent.statusCode()).as(toConsent.body()).isEqualTo(302);
            if (location(toConsent).startsWith(redirectUri + "?")) {
                // the tenant's administrator consented to this client before
                return URI.create(location(toConsent));
            }
            HttpResponse<String> consent = get(location(toConsent));
            assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
            assertThat(consent.body()).as("names the client and the tenant").contains(clientId).contains(tenant);
            HttpResponse<String> allowed = post(issuer() + "/oauth2/authorize", "client_id=" + IngressHttp.query(clientId) + "&state="
                    + IngressHttp.query(field(consent.body(), "state")) + "&scope=scim&_csrf="
                    + IngressHttp.query(field(consent.body(), "_csrf")));
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(302);
            return URI.create(location(allowed));
        }

        private String location(HttpResponse<String> response) {
            return response.uri().resolve(response.headers().firstValue("Location").orElseThrow()).toString();
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String field(String html, String name) {
            java.util.regex.Matcher value = java.util.regex.Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
            assertThat(value.find()).as(name + " in " + html).isTrue();
            return org.springframework.web.util.HtmlUtils.htmlUnescape(value.group(1));
        }
    }

    private static String signedBy(java.security.KeyPair key, String kid, JWTClaimsSet.Builder claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims.build());
        jwt.sign(new RSASSASigner(key.getPrivate()));
        return jwt.serialize();
    }

    private void assertRefusedWithScimError(String token) {
        HttpResponse<String> response = http.get("/scim/v2/Users", token);
        assertThat(response.statusCode()).as(token).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(IngressHttp.json(response).get("schemas").toString()).contains("urn:ietf:params:scim:api:messages:2.0:Error");
    }

    private String issuer() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> tokenRequest(String clientId, String secret, boolean basic) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("/oauth2/token")).header("Content-Type",
                "application/x-www-form-urlencoded");
        String form = "grant_type=client_credentials";
        if (basic) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (IngressHttp.query(clientId) + ":" + IngressHttp.query(secret)).getBytes(StandardCharsets.UTF_8)));
        } else {
            form += "&client_id=" + IngressHttp.query(clientId) + "&client_secret=" + IngressHttp.query(secret);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private String accessToken(IssuedSecret client) {
        HttpResponse<String> answer = tokenRequest(client.clientId(), client.clientSecret(), true);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return IngressHttp.json(answer).get("access_token").asString();
    }

    private static JsonNode claims(String jwt) {
        return EventCodec.mapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static JsonNode header(String jwt) {
        return EventCodec.mapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    private static JWTClaimsSet.Builder claims(String clientId, String tenant, String audience, String issuer) {
        return new JWTClaimsSet.Builder().subject(clientId).claim("tenant", tenant).audience(audience).issuer(issuer)
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString());
    }

    /** A token signed with the ingress's own current key, as only a holder of that key could make it. */
    private String signed(JWTClaimsSet.Builder claims) throws JOSEException {
        SigningKey key = new SigningKeys(dataSource).published(Duration.ofHours(2)).get(0);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.id()).build(), claims.build());
        jwt.sign(new RSASSASigner(key.privateKey()));
        return jwt.serialize();
    }

    /** A token signed with a key of its own that claims the kid of the ingress's key. */
    private String selfSigned(JWTClaimsSet.Builder claims) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        SigningKey key = new SigningKeys(dataSource).published(Duration.ofHours(2)).get(0);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.id()).build(), claims.build());
        jwt.sign(new RSASSASigner(generator.generateKeyPair().getPrivate()));
        return jwt.serialize();
    }

    private TokenInfo info() {
        return tokens.list(tenant).stream().filter(t -> t.id().equals(issued.id())).findFirst().orElseThrow();
    }
}
