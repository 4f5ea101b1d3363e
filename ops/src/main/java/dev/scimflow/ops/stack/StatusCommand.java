package dev.scimflow.ops.stack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.ds.PGSimpleDataSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scimflow status}: the local stack's processes with their pid, whether they are alive and ready, and lag. */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
        "Lists the processes of the local stack with their pid, whether each is alive and ready, its"
                + " restarts, and the lag of each consumer group.",
        "Exit code: 0 all alive and ready, 1 something is not, 3 no stack is running."})
public final class StatusCommand implements Callable<Integer> {

    public static final int NOT_RUNNING = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".scimflow", description = "The stack's data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataDir dir = new DataDir(dataDir);
        boolean running = DataDirLock.isHeld(dir);
        var file = StackFile.read(dir);
        if (!running || file.isEmpty()) {
            out.println(running
                    ? "the stack in " + dir.root() + " is starting (or a command holds its database)"
                    : "no stack is running in " + dir.root() + (file.isPresent()
                            ? " (the last one did not shut down cleanly: `scimflow up` stops what it left running)"
                            : ""));
            out.flush();
            return running ? 1 : NOT_RUNNING;
        }
        StackFile stack = file.get();
        out.printf("stack in %s: scimflow up pid %d, since %s%n", stack.dataDir(), stack.pid(), stack.startedAt());
        out.printf("%-20s %8s  %-5s  %-5s  %s%n", "PROCESS", "PID", "ALIVE", "READY", "RESTARTS");
        boolean healthy = true;
        List<String> lag = new ArrayList<>();
        for (StackFile.Part part : stack.processes()) {
            boolean alive = ProcessHandle.of(part.pid()).map(process -> Processes.isSame(process, part.startedAt())).orElse(false);
            boolean ready = alive && switch (part.name()) {
                case "postgres" -> databaseAnswers(stack.jdbcUrl());
                case LocalReplica.NAME -> stack.ports().containsKey(LocalReplica.NAME)
                        && databaseAnswers(LocalPostgres.jdbcUrl(stack.ports().get(LocalReplica.NAME)));
                case KafkaBroker.NAME -> brokerAnswers(nodeAddress(stack, 1), lag);
                // a node of --kafka-brokers 3 answering by itself (the lag is listed once, through node 1)
                default -> part.name().matches(KafkaBroker.NAME + "-\\d+")
                        ? brokerAnswers(nodeAddress(stack, Integer.parseInt(part.name().substring(KafkaBroker.NAME.length() + 1))),
                                new ArrayList<>())
                        : part.readinessUrl() != null && Readiness.isReady(part.readinessUrl());
            };
            healthy &= alive && ready;
            out.printf("%-20s %8d  %-5s  %-5s  %d%n", part.name(), part.pid(), yesNo(alive), yesNo(ready), part.restarts());
        }
        out.println(lag.isEmpty() ? "consumer lag: (no consumer groups yet)" : "consumer lag:");
        lag.forEach(line -> out.println("  " + line));
        out.flush();
        return healthy ? 0 : 1;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** Node N's address: the N-th of the stack's bootstrap servers, which list every node in order. */
    private static String nodeAddress(StackFile stack, int node) {
        String[] nodes = stack.kafkaBootstrap().split(",");
        return nodes[Math.min(node, nodes.length) - 1];
    }

    private static boolean databaseAnswers(String jdbcUrl) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(LocalPostgres.USER);
        dataSource.setPassword(LocalPostgres.PASSWORD);
        dataSource.setConnectTimeout(2);
        dataSource.setLoginTimeout(2);
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Whether the broker answers; if it does, adds one line per consumer group and topic with its lag. */
    private static boolean brokerAnswers(String bootstrap, List<String> lag) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
            Collection<GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(3, TimeUnit.SECONDS);
            for (GroupListing group : groups.stream().sorted(java.util.Comparator.comparing(GroupListing::groupId)).toList()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
                Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
                        .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest())))
                        .all().get(3, TimeUnit.SECONDS);
                Map<String, Long> byTopic = new java.util.TreeMap<>();
                committed.forEach((partition, offset) -> byTopic.merge(partition.topic(),
                        offset == null ? 0 : Math.max(0, ends.get(partition).offset() - offset.offset()), Long::sum));
                byTopic.forEach((topic, behind) -> lag.add(group.groupId() + " on " + topic + ": " + behind));
            }
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
