package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.scimflow.ops.OperatorError;
import picocli.CommandLine;

class UpCommandTest {

    private static StackOptions parse(String... args) {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs(args);
        return up.options();
    }

    @Test
    void defaultsAreThoseTheReadmePromises() {
        StackOptions options = parse();
        assertThat(options.dataDir()).isEqualTo(Path.of(".scimflow").toAbsolutePath().normalize());
        assertThat(options.ingressPort()).isEqualTo(8080);
        assertThat(options.auditPort()).isEqualTo(8081);
        assertThat(options.workerPort()).isEqualTo(8082);
        assertThat(options.kafkaPort()).isEqualTo(19092);
        assertThat(options.kafkaControllerPort()).isEqualTo(19093);
        assertThat(options.postgresPort()).isEqualTo(15432);
        assertThat(options.eventsPort()).isEqualTo(8083);
        assertThat(options.tenant()).isEqualTo("default");
        assertThat(options.token()).isNull();
        assertThat(options.services()).containsExactlyInAnyOrder(Service.values());
        assertThat(options.readyTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(options.postgresReplica()).as("no replica unless asked for").isNull();
        assertThat(options.ports()).doesNotContainKey("--postgres-replica-port");
    }

    @Test
    void aReplicaTakesThePortAfterPostgresUnlessGivenOneAndIsHeldBackOnlyWhenAsked() {
        StackOptions options = parse("--postgres-replica", "--postgres-port", "5000");
        assertThat(options.postgresReplica()).isEqualTo(new StackOptions.PostgresReplica(5001, Duration.ZERO));
        assertThat(options.ports()).containsEntry("--postgres-replica-port", 5001);
        assertThat(parse("--postgres-replica", "--postgres-replica-port", "6000", "--postgres-replica-delay", "5").postgresReplica())
                .isEqualTo(new StackOptions.PostgresReplica(6000, Duration.ofSeconds(5)));
        assertThat(parse("--postgres-replica-port", "6000").postgresReplica()).as("the port alone asks for nothing").isNull();
        assertThatThrownBy(() -> parse("--postgres-replica", "--postgres-replica-delay", "-1")).isInstanceOf(OperatorError.class)
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> parse("--postgres-replica", "--postgres-replica-port", "70000")).isInstanceOf(OperatorError.class)
                .hasMessage("--postgres-replica-port must be between 1 and 65535, not 70000");
    }

    @Test
    void everyOptionIsTakenAndTheControllerPortFollowsTheKafkaPort() {
        StackOptions options = parse("--data-dir", "/tmp/x/../stack", "--ingress-port", "1", "--audit-port", "2",
                "--worker-port", "3", "--kafka-port", "4000", "--postgres-port", "5", "--events-port", "6", "--tenant", "acme",
                "--token", "0123456789abcdef", "--timeout", "60");
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/stack"));
        assertThat(options.ports()).containsExactly(
                java.util.Map.entry("--ingress-port", 1), java.util.Map.entry("--audit-port", 2),
                java.util.Map.entry("--worker-port", 3), java.util.Map.entry("--kafka-port", 4000),
                java.util.Map.entry("--kafka-controller-port", 4001), java.util.Map.entry("--postgres-port", 5),
                java.util.Map.entry("--events-port", 6));
        assertThat(options.tenant()).isEqualTo("acme");
        assertThat(options.token()).isEqualTo("0123456789abcdef");
        assertThat(parse("--kafka-port", "4000", "--kafka-controller-port", "4100").kafkaControllerPort()).isEqualTo(4100);
    }

    @Test
    void refusesABadTenantAShortTokenOrAPortOutOfRange() {
        assertThatThrownBy(() -> parse("--tenant", "ACME")).isInstanceOf(OperatorError.class).hasMessageContaining("tenant name");
        assertThatThrownBy(() -> parse("--token", "short")).isInstanceOf(OperatorError.class).hasMessageContaining("16 characters");
        assertThatThrownBy(() -> parse("--token", "has a space in it!")).isInstanceOf(OperatorError.class)
                .hasMessageContaining("printable");
        assertThatThrownBy(() -> parse("--ingress-port", "70000")).isInstanceOf(OperatorError.class)
                .hasMessage("--ingress-port must be between 1 and 65535, not 70000");
    }

    @Test
    void threeKafkaBrokersClaimTheKafkaAndControllerPortsPlusTwoAndFour() {
        StackOptions options = parse("--kafka-brokers", "3", "--kafka-port", "4000");
        assertThat(options.kafkaBrokers()).isEqualTo(3);
        assertThat(options.ports()).containsEntry("--kafka-port", 4000).containsEntry("--kafka-controller-port", 4001)
                .containsEntry("--kafka-port+2", 4002).containsEntry("--kafka-controller-port+2", 4003)
                .containsEntry("--kafka-port+4", 4004).containsEntry("--kafka-controller-port+4", 4005);
        assertThat(parse().kafkaBrokers()).as("one broker unless asked").isEqualTo(1);
        assertThatThrownBy(() -> parse("--kafka-brokers", "2")).isInstanceOf(OperatorError.class)
                .hasMessageContaining("--kafka-brokers must be 1 or 3");
        assertThatThrownBy(() -> parse("--kafka-brokers", "3", "--kafka-port", "65532")).isInstanceOf(OperatorError.class)
                .hasMessage("--kafka-port+4 must be between 1 and 65535, not 65536");
    }

    @Test
    void aStackWithoutSomeServicesDoesNotClaimTheirPorts() {
        StackOptions options = parse().withServices(java.util.Set.of(Service.WORKER));
        assertThat(options.ports()).containsOnlyKeys("--worker-port", "--kafka-port", "--kafka-controller-port", "--postgres-port");
    }
}
