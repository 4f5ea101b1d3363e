package dev.scimflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class ScimflowCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = ScimflowCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void anOperatorErrorIsOneLineOnStderrAndExitCode1() {
        assertThat(run("tenant", "create", "Not_Valid", "--data-dir", "target/no-such-stack")).isEqualTo(1);
        assertThat(err.toString()).startsWith("scimflow: invalid tenant name 'Not_Valid'").doesNotContain("Exception");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        assertThat(run("token")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required subcommand").contains("Usage: scimflow token");
    }

    @Test
    void aCommandOnADataDirWithoutStackSaysHowToGetOne() {
        assertThat(run("token", "list", "--data-dir", "target/no-such-stack")).isEqualTo(1);
        assertThat(err.toString()).contains("there is no local stack in").contains("scimflow up --data-dir");
    }

    @Test
    void dataDirAndJdbcUrlExcludeEachOtherInTheTokenAndTheRecoveryCommands() {
        for (String command : List.of("token list", "rebuild store", "rebuild audit", "rebuild drop-old")) {
            err.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--data-dir", "x", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x"));
            assertThat(run(args.toArray(String[]::new))).as(command).isEqualTo(1);
            assertThat(err.toString()).as(command).contains("either --data-dir or --jdbc-url");
        }
    }

    @Test
    void anUnreachableDeploymentDatabaseIsAClearError() throws Exception {
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        assertThat(run("token", "list", "--jdbc-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/scimflow")).isEqualTo(1);
        assertThat(err.toString()).startsWith("scimflow: cannot use the database at jdbc:postgresql://127.0.0.1:" + closedPort);
        assertThat(run("token", "list", "--jdbc-url", "jdbc:mysql://db/scimflow")).isEqualTo(1);
        assertThat(err.toString()).contains("--jdbc-url must be a PostgreSQL JDBC URL");
    }

    @Test
    void operatorTokenPrintsATokenAndItsSha256() {
        assertThat(run("operator-token", "--json")).isZero();
        var printed = Json.MAPPER.readTree(out.toString());
        String token = printed.get("token").asString();
        assertThat(token).startsWith(OperatorToken.PREFIX).hasSizeGreaterThan(40);
        assertThat(printed.get("sha256").asString()).isEqualTo(OperatorToken.sha256Hex(token)).matches("[0-9a-f]{64}");
    }
}
