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
 * The local Kafka broker: a single KRaft node (broker and controller) in a JVM of its own, with the classpath of
 * {@code kafka/} from Kafka's own Maven artifacts. Its log directory is formatted once, with a cluster id kept in the
 * data directory, since a log directory only opens under the id it was formatted with.
 */
final class KafkaBroker implements StackPart {

    static final String NAME = "kafka";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);

    private final DataDir dataDir;
    private final int port;
    private final JavaProcess process;
    private final List<String> classpathArguments;

    KafkaBroker(Installation installation, DataDir dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.classpathArguments = List.of(
                "-cp", installation.kafkaLibs().toAbsolutePath() + "/*",
                "-Dlog4j2.configurationFile=" + dataDir.kafkaLogConfig().toUri());
        // the services' options (JvmOptions); the broker starts in a few seconds, well before the services are ready,
        // so it needs no class data sharing archive of its own
        List<String> jvm = new java.util.ArrayList<>(JvmOptions.longRunning());
        jvm.add("-Djava.awt.headless=true");
        jvm.addAll(classpathArguments);
        jvm.addAll(List.of("kafka.Kafka", dataDir.kafkaConfig().toString()));
        this.process = new JavaProcess(NAME, jvm, Map.of(), dataDir.log(NAME));
        writeConfiguration(controllerPort);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String name() {
        return NAME;
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

    /** Waits until the broker answers an admin request, then creates the topics that are missing. */
    List<String> awaitReadyAndCreateTopics(ProcessHandle broker, Instant deadline) throws InterruptedException {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin client = Admin.create(admin)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new OperatorError("the Kafka broker exited while starting; see " + dataDir.log(NAME));
                }
                try {
                    client.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return TopicPlan.createMissing(client, TopicPlan.SCIMFLOW, (short) 1);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new OperatorError("the Kafka broker did not become ready in time; see " + dataDir.log(NAME), e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private void writeConfiguration(int controllerPort) {
        try {
            Files.createDirectories(dataDir.root());
            Files.writeString(dataDir.kafkaConfig(),
                    BrokerProperties.render(BrokerProperties.singleNode(dataDir.kafkaLogs(), port, controllerPort)));
            Files.writeString(dataDir.kafkaLogConfig(), BrokerProperties.log4j2());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the broker's configuration", e);
        }
    }

    private void formatOnce() throws IOException, InterruptedException {
        if (Files.exists(dataDir.kafkaLogs().resolve("meta.properties"))) {
            return;
        }
        List<String> command = new java.util.ArrayList<>(List.of(JavaProcess.javaExecutable()));
        command.addAll(JvmOptions.SHORT_LIVED);
        command.addAll(classpathArguments);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", clusterId(), "-c", dataDir.kafkaConfig().toString()));
        Process format = process.spawn(command);
        if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            Processes.terminate(format.toHandle(), Duration.ofSeconds(1));
            throw new OperatorError("formatting Kafka's log directory timed out; see " + dataDir.log(NAME));
        }
        if (format.exitValue() != 0) {
            throw new OperatorError("formatting Kafka's log directory failed; see " + dataDir.log(NAME));
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
