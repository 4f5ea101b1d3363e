package dev.scimflow.ops.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import dev.scimflow.ops.Installation;
import dev.scimflow.ops.OperatorError;

/**
 * A local Kafka broker: one KRaft node (broker and controller) in a JVM of its own, with the classpath of
 * {@code kafka/} from Kafka's own Maven artifacts; alone, or one of the nodes of {@code --kafka-brokers 3}. Its log
 * directory is formatted once, with a cluster id kept in the data directory (the same for every node), since a log
 * directory only opens under the id it was formatted with.
 */
final class KafkaBroker implements StackPart {

    static final String NAME = "kafka";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);

    private final DataDir dataDir;
    private final int nodeId;
    private final List<BrokerProperties.Node> cluster;
    private final JavaProcess process;
    private final List<String> classpathArguments;

    KafkaBroker(Installation installation, DataDir dataDir, int port, int controllerPort) {
        this(installation, dataDir, BrokerProperties.NODE_ID, nodes(1, port, controllerPort));
    }

    KafkaBroker(Installation installation, DataDir dataDir, int nodeId, List<BrokerProperties.Node> cluster) {
        this.dataDir = dataDir;
        this.nodeId = nodeId;
        this.cluster = List.copyOf(cluster);
        this.classpathArguments = List.of(
                "-cp", installation.kafkaLibs().toAbsolutePath() + "/*",
                "-Dlog4j2.configurationFile=" + dataDir.kafkaLogConfig().toUri());
        // the services' options (JvmOptions); the broker starts in a few seconds, well before the services are ready,
        // so it needs no class data sharing archive of its own
        List<String> jvm = new java.util.ArrayList<>(JvmOptions.longRunning());
        jvm.add("-Djava.awt.headless=true");
        jvm.addAll(classpathArguments);
        jvm.addAll(List.of("kafka.Kafka", dataDir.kafkaConfig(nodeId).toString()));
        this.process = new JavaProcess(name(nodeId), jvm, Map.of(), dataDir.log(name(nodeId)));
        writeConfiguration();
    }

    /** The nodes of a local Kafka of {@code brokers} nodes: ports two apart from the Kafka and the controller port. */
    static List<BrokerProperties.Node> nodes(int brokers, int port, int controllerPort) {
        return java.util.stream.IntStream.rangeClosed(1, brokers)
                .mapToObj(id -> new BrokerProperties.Node(id, port + 2 * (id - 1), controllerPort + 2 * (id - 1))).toList();
    }

    /** {@code kafka} for node 1 (and the single broker), {@code kafka-2} and {@code kafka-3} for the others. */
    static String name(int nodeId) {
        return nodeId == BrokerProperties.NODE_ID ? NAME : NAME + "-" + nodeId;
    }

    /**
     * Refuses a data directory whose Kafka was formatted for another number of nodes: its topics have the other
     * replication, and a single node's metadata log does not know the quorum of three (nor the reverse).
     */
    static void requireSameSize(DataDir dataDir, int brokers) {
        boolean single = Files.exists(dataDir.kafkaLogs(1).resolve("meta.properties"));
        boolean cluster = Files.exists(dataDir.kafkaLogs(2).resolve("meta.properties"));
        if ((brokers == 1 && cluster) || (brokers > 1 && single && !cluster)) {
            throw new OperatorError("the Kafka in " + dataDir.root() + " was made with "
                    + (cluster ? "--kafka-brokers 3" : "one broker") + "; start it the same way, or use another --data-dir for "
                    + (brokers == 1 ? "one broker" : "--kafka-brokers " + brokers));
        }
    }

    /** Every node's address, comma-separated, as Kafka clients take it. */
    String bootstrapServers() {
        return cluster.stream().map(BrokerProperties.Node::bootstrap).collect(java.util.stream.Collectors.joining(","));
    }

    @Override
    public String name() {
        return name(nodeId);
    }

    @Override
    public ProcessHandle start() throws IOException, InterruptedException {
        formatOnce();
        return process.start();
    }

    @Override
    public void stop(ProcessHandle broker, Duration grace) {
        process.stop(broker, grace);
    }

    /**
     * Waits until the broker answers an admin request and every node of the cluster has registered, then creates the
     * topics that are missing, replicated over the cluster.
     */
    List<String> awaitReadyAndCreateTopics(ProcessHandle broker, Instant deadline) throws InterruptedException {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin client = Admin.create(admin)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new OperatorError("the Kafka broker exited while starting; see " + dataDir.log(name()));
                }
                try {
                    if (client.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= cluster.size()) {
                        return TopicPlan.createMissing(client, TopicPlan.SCIMFLOW, TopicPlan.replicationFactor(cluster.size()));
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new OperatorError("the Kafka broker did not become ready in time; see " + dataDir.log(name()), e);
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new OperatorError("not every Kafka node joined the cluster in time; see " + dataDir.logs() + "/kafka*.log");
                }
                Thread.sleep(200);
            }
        }
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(dataDir.root());
            Files.writeString(dataDir.kafkaConfig(nodeId),
                    BrokerProperties.render(BrokerProperties.node(dataDir.kafkaLogs(nodeId), nodeId, cluster)));
            Files.writeString(dataDir.kafkaLogConfig(), BrokerProperties.log4j2());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the broker's configuration", e);
        }
    }

    private void formatOnce() throws IOException, InterruptedException {
        if (Files.exists(dataDir.kafkaLogs(nodeId).resolve("meta.properties"))) {
            return;
        }
        List<String> command = new java.util.ArrayList<>(List.of(JavaProcess.javaExecutable()));
        command.addAll(JvmOptions.SHORT_LIVED);
        command.addAll(classpathArguments);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", clusterId(), "-c", dataDir.kafkaConfig(nodeId).toString()));
        Process format = process.spawn(command);
        if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            Processes.terminate(format.toHandle(), Duration.ofSeconds(1));
            throw new OperatorError("formatting Kafka's log directory timed out; see " + dataDir.log(name()));
        }
        if (format.exitValue() != 0) {
            throw new OperatorError("formatting Kafka's log directory failed; see " + dataDir.log(name()));
        }
    }

    private String clusterId() throws IOException {
        Path file = dataDir.kafkaClusterId();
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n");
        return id;
    }
}
