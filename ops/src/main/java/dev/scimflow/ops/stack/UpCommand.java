package dev.scimflow.ops.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Callable;

import dev.scimflow.ops.Installation;
import dev.scimflow.ops.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scimflow up}: runs the whole system locally until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true, description = {
        "Starts PostgreSQL, a Kafka broker (or three) and the four services, each as its own process, and keeps them running.",
        "When all are ready, prints one line to stdout: SCIMFLOW READY {json} with scimBaseUrl, auditUrl, auditToken,"
                + " kafkaBootstrap (every broker), jdbcUrl, tenant, token and eventsUrl. Progress goes to stderr, each process's output to"
                + " <data-dir>/logs/. Ctrl-C or SIGTERM stops everything."}, footer = {"", "Environment:",
                        "  " + JvmOptions.VARIABLE + "  the JVM options of the services and the Kafka broker,",
                        "                                instead of " + JvmOptions.DEFAULT_TEXT,
                        "                                (the services also get a class data sharing archive,",
                        "                                made on their first start after a build; -Xshare:off",
                        "                                goes without)",
                        "  SCIMFLOW_HOME                 where kafka/ and services/ are",
                        "                                (default: the directory of scimflow.jar)"})
public final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".scimflow", description = "Where the stack keeps its data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--ingress-port", paramLabel = "PORT", defaultValue = "8080", description = "SCIM ingress port (default: ${DEFAULT-VALUE}).")
    int ingressPort;

    @Option(names = "--audit-port", paramLabel = "PORT", defaultValue = "8081", description = "Audit service port (default: ${DEFAULT-VALUE}).")
    int auditPort;

    @Option(names = "--worker-port", paramLabel = "PORT", defaultValue = "8082", description = "Provisioning worker's management port (default: ${DEFAULT-VALUE}).")
    int workerPort;

    @Option(names = "--events-port", paramLabel = "PORT", defaultValue = "8083", description = "Events service (SSF) port (default: ${DEFAULT-VALUE}).")
    int eventsPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "19092", description = "Kafka client port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT", description = "Kafka's KRaft controller port (default: the Kafka port + 1).")
    Integer kafkaControllerPort;

    @Option(names = "--kafka-brokers", paramLabel = "N", defaultValue = "1", description = "Kafka nodes: 1, or 3 (a KRaft quorum of three, topics with replication factor 3 and min.insync.replicas=2;"
            + " nodes 2 and 3 on the Kafka and controller ports + 2 and + 4) (default: ${DEFAULT-VALUE}).")
    int kafkaBrokers;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "15432", description = "PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--postgres-replica", description = "Also run a streaming replica of PostgreSQL, which serves the ingress's reads"
            + " (GET, filters, .search) once it has replayed the tenant's acknowledged writes; the primary serves them until then.")
    boolean postgresReplica;

    @Option(names = "--postgres-replica-port", paramLabel = "PORT", description = "The replica's port (default: the PostgreSQL port + 1).")
    Integer postgresReplicaPort;

    @Option(names = "--postgres-replica-delay", paramLabel = "SECONDS", defaultValue = "0", description = "Hold the replica back:"
            + " it applies each commit this many seconds late (recovery_min_apply_delay), to see read-your-writes at work (default: ${DEFAULT-VALUE}).")
    int postgresReplicaDelaySeconds;

    @Option(names = "--tenant", paramLabel = "NAME", defaultValue = "default", description = "The tenant to create and print a token for (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Use this SCIM token for the tenant (at least 16 characters) instead of one generated once and kept in the data directory.")
    String token;

    @Option(names = "--timeout", defaultValue = "180", paramLabel = "SECONDS", description = "How long to wait for every part to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    StackOptions options() {
        return new StackOptions(dataDir, ingressPort, auditPort, workerPort, kafkaPort,
                kafkaControllerPort != null ? kafkaControllerPort : kafkaPort + 1, postgresPort, tenant, token,
                EnumSet.allOf(Service.class), Duration.ofSeconds(timeoutSeconds), eventsPort, kafkaBrokers,
                postgresReplica
                        ? new StackOptions.PostgresReplica(postgresReplicaPort != null ? postgresReplicaPort : postgresPort + 1,
                                Duration.ofSeconds(postgresReplicaDelaySeconds))
                        : null);
    }

    @Override
    public Integer call() throws InterruptedException {
        Progress progress = Progress.stderr();
        LocalStack stack = LocalStack.start(options(), Installation.current(), progress);
        spec.commandLine().getOut().println(stack.readyLine().render());
        spec.commandLine().getOut().flush();
        progress.say("running from " + stack.dataDir().root() + "; Ctrl-C stops it");
        stack.awaitStopped();
        return 0;
    }
}
