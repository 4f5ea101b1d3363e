package dev.scimflow.ops.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration of the local Kafka, on loopback only: one node, or a cluster of nodes (three for
 * {@code --kafka-brokers 3}) that are each broker and KRaft controller, the controllers a quorum of all of them.
 */
public final class BrokerProperties {

    static final int NODE_ID = 1;

    /** One node: its id, its client port and its controller port. */
    public record Node(int id, int port, int controllerPort) {

        public String bootstrap() {
            return "127.0.0.1:" + port;
        }
    }

    private BrokerProperties() {
    }

    static Map<String, String> singleNode(Path logDir, int port, int controllerPort) {
        return node(logDir, NODE_ID, List.of(new Node(NODE_ID, port, controllerPort)));
    }

    /**
     * The properties of node {@code id} of {@code cluster}: on more than one node, every topic (Kafka's internal ones
     * too) is replicated as {@link TopicPlan#replicationFactor} says, and a write needs {@link TopicPlan#minInsyncReplicas}
     * replicas, so one node can be lost without losing an acknowledged change.
     */
    public static Map<String, String> node(Path logDir, int id, List<Node> cluster) {
        Node node = cluster.stream().filter(candidate -> candidate.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("node " + id + " is not in " + cluster));
        String replicas = Short.toString(TopicPlan.replicationFactor(cluster.size()));
        String minInsync = Integer.toString(TopicPlan.minInsyncReplicas(TopicPlan.replicationFactor(cluster.size())));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(id));
        properties.put("controller.quorum.voters", cluster.stream()
                .map(voter -> voter.id() + "@127.0.0.1:" + voter.controllerPort()).collect(Collectors.joining(",")));
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + node.port() + ",CONTROLLER://127.0.0.1:" + node.controllerPort());
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + node.port());
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", logDir.toAbsolutePath().toString());
        properties.put("offsets.topic.replication.factor", replicas);
        properties.put("offsets.topic.num.partitions", "10");
        properties.put("transaction.state.log.replication.factor", replicas);
        properties.put("transaction.state.log.min.isr", minInsync);
        properties.put("share.coordinator.state.topic.replication.factor", replicas);
        properties.put("share.coordinator.state.topic.min.isr", minInsync);
        properties.put("min.insync.replicas", minInsync);
        properties.put("default.replication.factor", replicas);
        // topics are part of the contract: they are created with their settings (TopicPlan), never by a typo
        properties.put("auto.create.topics.enable", "false");
        properties.put("group.initial.rebalance.delay.ms", "0");
        return properties;
    }

    public static String render(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("\n", "# written by scimflow up on every start; edits are overwritten\n", "\n"));
    }

    /** log4j2 for the broker: INFO to stdout (its log file), the chatty request and state-change loggers at WARN. */
    static String log4j2() {
        return """
                status = warn
                appender.stdout.type = Console
                appender.stdout.name = STDOUT
                appender.stdout.layout.type = PatternLayout
                appender.stdout.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = INFO
                rootLogger.appenderRef.stdout.ref = STDOUT
                logger.request.name = kafka.request.logger
                logger.request.level = WARN
                logger.state.name = state.change.logger
                logger.state.level = WARN
                logger.authorizer.name = kafka.authorizer.logger
                logger.authorizer.level = WARN
                """;
    }
}
