package dev.scimflow.ops.stack;

import java.nio.file.Path;

/**
 * The layout of a local stack's data directory: everything a stack keeps between runs, and nothing else.
 *
 * <pre>
 * postgres/           PostgreSQL's data directory
 * postgres-replica/   the data directory of its streaming replica, with {@code --postgres-replica}
 * pg-work/            PostgreSQL's binaries, unpacked from the embedded artifact
 * kafka/              the broker's log directory (of node 1 with --kafka-brokers 3)
 * kafka-2/, kafka-3/  the log directories of nodes 2 and 3 with --kafka-brokers 3
 * kafka-cluster-id    the cluster id the log directory was formatted with
 * logs/               one log file per process
 * credentials.json    the tenant tokens and the operator token (mode 0600)
 * stack.json          ports and process ids of the running stack (no secrets)
 * scimflow.lock       held by the process that uses the data directory
 * </pre>
 */
public record DataDir(Path root) {

    public DataDir {
        root = root.toAbsolutePath().normalize();
    }

    public Path postgres() {
        return root.resolve("postgres");
    }

    public Path postgresReplica() {
        return root.resolve(LocalReplica.NAME);
    }

    public Path postgresWork() {
        return root.resolve("pg-work");
    }

    public Path kafkaLogs() {
        return root.resolve("kafka");
    }

    /** The log directory of a node of the local Kafka: {@code kafka/} for node 1 (and the single broker), else {@code kafka-N/}. */
    public Path kafkaLogs(int node) {
        return node == 1 ? kafkaLogs() : root.resolve("kafka-" + node);
    }

    /** The configuration of a node of the local Kafka, as {@link #kafkaConfig()} for node 1. */
    public Path kafkaConfig(int node) {
        return node == 1 ? kafkaConfig() : root.resolve("kafka-" + node + "-server.properties");
    }

    public Path kafkaClusterId() {
        return root.resolve("kafka-cluster-id");
    }

    public Path kafkaConfig() {
        return root.resolve("kafka-server.properties");
    }

    public Path kafkaLogConfig() {
        return root.resolve("kafka-log4j2.properties");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(String process) {
        return logs().resolve(process + ".log");
    }

    public Path credentials() {
        return root.resolve("credentials.json");
    }

    public Path stackFile() {
        return root.resolve("stack.json");
    }

    public Path lockFile() {
        return root.resolve("scimflow.lock");
    }
}
