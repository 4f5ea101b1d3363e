package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scimflow.ops.OperatorError;

/** One PostgreSQL major version everywhere, and a data directory of another one refused with its reason. */
class LocalPostgresTest {

    private static final Path REPOSITORY = Path.of("..");

    @TempDir
    Path temp;

    @Test
    void theEmbeddedBinariesRunTheMajorVersionThatComposeAndTheTestContainersRun() throws Exception {
        try (LocalPostgres postgres = new LocalPostgres(new DataDir(temp), freePort(), true)) {
            postgres.start();
            try (Connection connection = postgres.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet version = statement.executeQuery("show server_version_num")) {
                assertThat(version.next()).isTrue();
                assertThat(Integer.parseInt(version.getString(1)) / 10_000).isEqualTo(LocalPostgres.MAJOR_VERSION);
            }
        }
        assertThat(Files.readString(temp.resolve("postgres").resolve("PG_VERSION")).trim())
                .isEqualTo(Integer.toString(LocalPostgres.MAJOR_VERSION));

        assertThat(majorVersion(REPOSITORY.resolve("docker-compose.yml"), "image: postgres:(\\d+)"))
                .isEqualTo(LocalPostgres.MAJOR_VERSION);
        assertThat(majorVersion(REPOSITORY.resolve("libs/test-support/src/main/java/dev/scimflow/testing/TestInfrastructure.java"),
                "\"postgres:(\\d+)-alpine\"")).isEqualTo(LocalPostgres.MAJOR_VERSION);
    }

    @Test
    void aDataDirectoryOfAnotherMajorVersionIsRefusedBeforeAnythingStarts() throws Exception {
        DataDir dataDir = new DataDir(temp);
        Files.createDirectories(dataDir.postgres());
        Files.writeString(dataDir.postgres().resolve("PG_VERSION"), "14\n");

        try (LocalPostgres postgres = new LocalPostgres(dataDir, freePort(), true)) {
            assertThatThrownBy(postgres::start).isInstanceOf(OperatorError.class)
                    .hasMessageContaining("was made by PostgreSQL 14")
                    .hasMessageContaining("runs PostgreSQL " + LocalPostgres.MAJOR_VERSION)
                    .hasMessageContaining("new --data-dir");
        }
        assertThat(dataDir.postgres().resolve("postmaster.pid")).doesNotExist();
        assertThat(Files.readString(dataDir.postgres().resolve("PG_VERSION"))).isEqualTo("14\n");
    }

    private static int majorVersion(Path file, String pattern) throws Exception {
        Matcher matcher = Pattern.compile(pattern).matcher(Files.readString(file));
        assertThat(matcher.find()).as(pattern + " in " + file).isTrue();
        int version = Integer.parseInt(matcher.group(1));
        assertThat(matcher.find()).as("a second " + pattern + " in " + file).isFalse();
        return version;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
