package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.StackCredentials.Provisioned;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.UserStoreSchema;

/** How {@code scimflow up} gets its tenant's token and the operator token, against a real PostgreSQL. */
class StackCredentialsIT {

    private static DataDir database;
    private static LocalPostgres postgres;
    private static TenantTokens tokens;

    @BeforeAll
    static void startPostgres() throws Exception {
        database = new DataDir(TestStacks.newDataDir("credentials-db"));
        postgres = new LocalPostgres(database, TestStacks.freePorts(1).get(0), true);
        postgres.start();
        UserStoreSchema.migrate(postgres.dataSource());
        tokens = new TenantTokens(postgres.dataSource());
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
        TestStacks.deleteDataDir(database.root());
        STACKS.stream().filter(stack -> java.nio.file.Files.exists(stack.root()))
                .forEach(stack -> TestStacks.deleteDataDir(stack.root()));
    }

    private static final java.util.List<DataDir> STACKS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static DataDir newStack() {
        DataDir stack = new DataDir(TestStacks.newDataDir("credentials"));
        STACKS.add(stack);
        return stack;
    }

    @Test
    void aGeneratedTokenIsKeptPrivatelyAndReusedOnTheNextStart() throws Exception {
        DataDir stack = newStack();
        Provisioned first = StackCredentials.provision(stack, tokens, "first", null, Progress.silent());

        assertThat(tokens.authenticate(first.token().token())).get()
                .isEqualTo(new TenantTokens.TokenPrincipal(first.token().tokenId(), "first", RoleAttribute.EXTENSION));
        assertThat(first.auditToken()).startsWith("scimflow_op_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stack.credentials()))).isEqualTo("rw-------");
        assertThat(StackCredentials.provision(stack, tokens, "first", null, Progress.silent())).isEqualTo(first);
        assertThat(tokens.list("first")).hasSize(1);
    }

    @Test
    void aKeptTokenThatWasRevokedIsReplaced() {
        DataDir stack = newStack();
        Provisioned first = StackCredentials.provision(stack, tokens, "revoked", null, Progress.silent());
        tokens.revoke(first.token().tokenId());

        Provisioned next = StackCredentials.provision(stack, tokens, "revoked", null, Progress.silent());

        assertThat(next.token().token()).isNotEqualTo(first.token().token());
        assertThat(next.auditToken()).isEqualTo(first.auditToken());
        assertThat(tokens.authenticate(next.token().token())).isPresent();
        assertThat(Credentials.load(stack.credentials()).tenants().get("revoked")).isEqualTo(next.token());
    }

    @Test
    void aFixedTokenIsRegisteredOnceAndMustBelongToTheTenant() {
        DataDir stack = newStack();
        String fixed = "fixed-token-for-tests-0001";
        Provisioned first = StackCredentials.provision(stack, tokens, "fixed", fixed, Progress.silent());
        Provisioned again = StackCredentials.provision(stack, tokens, "fixed", fixed, Progress.silent());

        assertThat(first.token().token()).isEqualTo(fixed);
        assertThat(again).isEqualTo(first);
        assertThat(tokens.list("fixed")).hasSize(1);
        assertThatThrownBy(() -> StackCredentials.provision(newStack(), tokens, "other", fixed, Progress.silent()))
                .isInstanceOf(OperatorError.class).hasMessageContaining("already registered for tenant 'fixed'");

        tokens.revoke(first.token().tokenId());
        assertThatThrownBy(() -> StackCredentials.provision(stack, tokens, "fixed", fixed, Progress.silent()))
                .isInstanceOf(OperatorError.class).hasMessageContaining("was revoked");
    }
}
