package dev.scimflow.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Topics;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.IssuedToken;
import dev.scimflow.store.TenantTokens.TokenInfo;
import dev.scimflow.testing.TestInfrastructure;
import dev.scimflow.testing.TopicReader;

/**
 * Token lifecycle as the ingress enforces it (rotation with overlap, expiry, revocation: refused on the very next
 * request; last use recorded without a write per request) and token secrecy: with our code and Spring MVC logging
 * at DEBUG, no token (valid, wrong, revoked) appears in the logs, in error bodies, in metrics or in the change
 * published to Kafka.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scimflow.ingress.outcome-timeout=2s", "logging.level.dev.scimflow=DEBUG", "logging.level.org.springframework.web=DEBUG",
        "logging.level.org.springframework.kafka=DEBUG"})
class TokenSecurityIT {

    /** The token cache's lifetime (1 s), plus time for the requests that find the token refused on a busy machine. */
    private static final Duration CACHE_BOUND = Duration.ofSeconds(3);

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    IngressHttp http;
    TenantTokens tokens;
    String tenant;
    IssuedToken issued;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.registerNewDatabaseAndBroker(registry);
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

    private TokenInfo info() {
        return tokens.list(tenant).stream().filter(t -> t.id().equals(issued.id())).findFirst().orElseThrow();
    }
}
