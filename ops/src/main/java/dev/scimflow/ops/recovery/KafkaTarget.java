package dev.scimflow.ops.recovery;

import java.nio.file.Path;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.DataDirLock;
import dev.scimflow.ops.stack.StackFile;
import picocli.CommandLine.Option;

/** The broker a Kafka-only recovery command ({@code replay}, {@code dlt}) works on: a running local stack's, or {@code --kafka} (with {@code --kafka-config}). */
public final class KafkaTarget {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The running local stack's data directory (default: .scimflow).")
    Path dataDir;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "A deployment's Kafka bootstrap servers.")
    String kafka;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for every client this"
            + " command makes (security.protocol, sasl.*, ssl.*, ...; bootstrap.servers stands for --kafka). Values are"
            + " never printed.")
    Path kafkaConfig;

    public KafkaConnection kafka() {
        return connect(kafka, kafkaConfig, dataDir);
    }

    /** The connection of --kafka and --kafka-config, or else the running local stack's; says which settings it took. */
    static KafkaConnection connect(String kafka, Path kafkaConfig, Path dataDir) {
        KafkaConnection connection = KafkaConnection.of(kafka, kafkaConfig, () -> runningStack(dataDir).kafkaBootstrap());
        if (kafkaConfig != null) {
            Progress.stderr().say("Kafka at " + connection.describe() + " (from " + kafkaConfig + ")");
        }
        return connection;
    }

    /** What the stack running in a data directory says about itself; an operator error when none runs there. */
    static StackFile runningStack(Path dataDir) {
        DataDir dir = new DataDir(dataDir != null ? dataDir : Path.of(".scimflow"));
        if (!DataDirLock.isHeld(dir)) {
            throw new OperatorError("no stack is running in " + dir.root() + ": run `scimflow up --data-dir " + dir.root()
                    + "`, or give a deployment's addresses (--kafka, --jdbc-url)");
        }
        return StackFile.read(dir).orElseThrow(() -> new OperatorError("the stack in " + dir.root() + " is still starting;"
                + " try again when `scimflow status` says it is ready"));
    }
}
