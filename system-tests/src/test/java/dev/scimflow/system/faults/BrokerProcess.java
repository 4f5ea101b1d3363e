package dev.scimflow.system.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import dev.scimflow.ops.stack.BrokerProperties;
import dev.scimflow.ops.stack.JvmOptions;

/**
 * A KRaft broker in a process of its own, from the broker classpath the ops build lays out in {@code ops/target/kafka}:
 * unlike the broker embedded in the test JVM, it can be stopped (or killed) and started again on the same port and
 * data, as a real broker restarts. Either a single node, or one node of a cluster configured exactly as
 * {@code scimflow up --kafka-brokers 3} configures its nodes ({@link BrokerProperties}).
 */
final class BrokerProcess {

    private static final String CLUSTER_ID = "c2NpbWZsb3ctZmF1bHRzAA";

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int nodeId;
    private final List<BrokerProperties.Node> cluster;
    private Process process;

    BrokerProcess(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.nodeId = 1;
        this.cluster = List.of();
    }

    /** Node {@code nodeId} of {@code cluster}, as {@code scimflow up --kafka-brokers 3} runs it. */
    BrokerProcess(Path dir, int nodeId, List<BrokerProperties.Node> cluster) {
        BrokerProperties.Node node = cluster.stream().filter(candidate -> candidate.id() == nodeId).findFirst().orElseThrow();
        this.dir = dir;
        this.port = node.port();
        this.controllerPort = node.controllerPort();
        this.nodeId = nodeId;
        this.cluster = List.copyOf(cluster);
    }

    int nodeId() {
        return nodeId;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    void start() {
        launch();
        awaitListening();
    }

    /**
     * Starts the process without waiting for it: the nodes of a cluster are all launched before any is waited for, as
     * none listens for clients before a majority of the controller quorum is up.
     */
    void launch() {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Files.writeString(config, !cluster.isEmpty()
                    ? BrokerProperties.render(BrokerProperties.node(dir.resolve("data"), nodeId, cluster))
                    : String.join("\n",
                            "process.roles=broker,controller",
                            "node.id=1",
                            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                            "controller.listener.names=CONTROLLER",
                            "inter.broker.listener.name=PLAINTEXT",
                            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                            "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                            "offsets.topic.replication.factor=1",
                            "transaction.state.log.replication.factor=1",
                            "transaction.state.log.min.isr=1",
                            "share.coordinator.state.topic.replication.factor=1",
                            "share.coordinator.state.topic.min.isr=1",
                            "group.initial.rebalance.delay.ms=0",
                            "auto.create.topics.enable=false",
                            "num.partitions=3", ""));
            run(JvmOptions.SHORT_LIVED,
                    List.of("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t", CLUSTER_ID, "-c", config.toString()),
                    dir.resolve("format.log"), true);
            // the options of `scimflow up`'s broker
            process = run(JvmOptions.longRunning(), List.of("kafka.Kafka", config.toString()), dir.resolve("broker.log"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitListening() {
        Awaitility.await("broker on " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited; see " + dir.resolve("broker.log"));
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** {@code kill -9}: the broker gets no chance to hand over leadership or flush anything. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** A clean shutdown (SIGTERM), as when an operator restarts the broker. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static Process run(List<String> jvmOptions, List<String> mainAndArgs, Path log, boolean wait) throws IOException {
        Path libs = Path.of(System.getProperty("scimflow.jars", ".."), "ops", "target", "kafka");
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException("build ops first (mvn -pl ops package): missing " + libs);
        }
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", libs.toAbsolutePath() + "/*"));
        command.addAll(mainAndArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (wait) {
            try {
                if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("failed: " + mainAndArgs + "; see " + log);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return process;
    }
}
