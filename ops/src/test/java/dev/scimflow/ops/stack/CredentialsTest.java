package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scimflow.ops.stack.Credentials.TenantToken;

class CredentialsTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNoCredentialsYet() {
        Credentials credentials = Credentials.load(dir.resolve("credentials.json"));
        assertThat(credentials.auditToken()).isNull();
        assertThat(credentials.tenants()).isEmpty();
    }

    @Test
    void isWrittenReadableByItsOwnerOnlyAndReadBackTheSame() throws Exception {
        Path file = dir.resolve("credentials.json");
        Credentials credentials = new Credentials("scimflow_op_x", java.util.Map.of())
                .withTenant("default", new TenantToken("tok_1", "scimflow_secret1"))
                .withTenant("acme", new TenantToken("tok_2", "scimflow_secret2"));
        credentials.save(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Credentials.load(file)).isEqualTo(credentials);
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void rewritingKeepsTheFilePrivate() throws Exception {
        Path file = dir.resolve("credentials.json");
        new Credentials("a", java.util.Map.of()).save(file);
        Credentials.load(file).withTenant("t", new TenantToken("tok", "scimflow_t")).save(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Credentials.load(file).tenants()).containsOnlyKeys("t");
    }
}
