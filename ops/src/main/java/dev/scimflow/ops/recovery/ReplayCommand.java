package dev.scimflow.ops.recovery;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow replay changes}: after the user store was restored from a backup, makes the workers re-read
 * {@code scim.changes} from the backup's time by moving their consumer group's offsets back. The workers skip every
 * change the restored store records in {@code applied_changes} and apply the others, in their original order, with
 * their original times and event ids: the store reaches the state it had before the incident and the audit
 * de-duplicates the facts it already has.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Re-applies changes from Kafka.", subcommands = ReplayCommand.Changes.class)
public final class ReplayCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "changes", mixinStandardHelpOptions = true, description = {
            "Moves the workers' consumer group on scim.changes back to --from, so that they re-read every"
                    + " change accepted since; those already applied are skipped. Stop the workers first (the group"
                    + " must have no members) and start them afterwards; the ingress may keep running.",
            "Offsets are only ever moved back, never forward: running it twice is harmless.",
            "Going back further than needed is always safe (applied changes are skipped); use the backup's"
                    + " time minus the workers' usual lag, or `earliest`."})
    static final class Changes implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "TIME|earliest", description = "An ISO-8601 instant (e.g. 2026-11-28T22:00:00Z), or `earliest` for the whole retained topic.")
        String from;

        @Option(names = "--group", defaultValue = "scimflow-worker", description = "The workers' consumer group (default: ${DEFAULT-VALUE}).")
        String group;

        @Option(names = "--wait", description = "After moving the offsets, wait until the (restarted) workers have re-read everything.")
        boolean await;

        @Option(names = "--timeout", defaultValue = "PT30M", description = "How long --wait waits (ISO-8601 duration, default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Mixin
        KafkaTarget target;

        @Override
        public Integer call() throws Exception {
            Progress progress = Progress.stderr();
            PrintWriter out = spec.commandLine().getOut();
            Instant since = parseFrom(from);
            KafkaConnection kafka = target.kafka();
            try (Admin admin = KafkaClients.admin(kafka); KafkaConsumer<byte[], byte[]> reader = KafkaClients.reader(kafka)) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                if (description != null && !description.members().isEmpty()) {
                    throw new OperatorError("consumer group " + group + " has " + description.members().size() + " running"
                            + " member(s): stop the workers first (changes accepted meanwhile wait in Kafka), then run this again");
                }
                List<TopicPartition> partitions = KafkaClients.partitions(reader, Topics.CHANGES);
                Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
                Map<TopicPartition, Long> targets = new HashMap<>(reader.beginningOffsets(partitions));
                if (since != null) {
                    Map<TopicPartition, Long> times = new HashMap<>();
                    partitions.forEach(partition -> times.put(partition, since.toEpochMilli()));
                    Map<TopicPartition, OffsetAndTimestamp> found = reader.offsetsForTimes(times);
                    partitions.forEach(partition -> {
                        OffsetAndTimestamp offset = found.get(partition);
                        targets.put(partition, offset == null ? ends.get(partition) : offset.offset());
                    });
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
                Map<Integer, String> report = new TreeMap<>();
                long reread = 0;
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata current = committed.get(partition);
                    // a partition the group never committed is read from its beginning anyway (auto-offset-reset earliest)
                    long position = current == null ? targets.get(partition) : current.offset();
                    long moved = Math.min(position, targets.get(partition));
                    if (current != null && moved < current.offset()) {
                        rewound.put(partition, new OffsetAndMetadata(moved, "scimflow replay changes --from " + from));
                    }
                    reread += ends.get(partition) - moved;
                    report.put(partition.partition(), moved + ".." + ends.get(partition));
                }
                if (!rewound.isEmpty()) {
                    admin.alterConsumerGroupOffsets(group, rewound).all().get();
                }
                out.printf("replay changes: group %s on %s moved back on %d of %d partitions; %d changes will be read"
                        + " (already applied ones are skipped)%n", group, Topics.CHANGES, rewound.size(), partitions.size(), reread);
                report.forEach((partition, range) -> out.printf("  partition %d: offsets %s%n", partition, range));
                out.flush();
                if (await) {
                    progress.say("waiting for group " + group + " to re-read them: start the workers now");
                    GroupLag.await(admin, group, ends, timeout, () -> true,
                            behind -> progress.say(behind + " changes still to be read by " + group));
                    out.println("replay changes: done, group " + group + " has read every replayed change");
                    out.flush();
                }
            }
            return 0;
        }

        /** Null for {@code earliest}. */
        static Instant parseFrom(String from) {
            if (from.equalsIgnoreCase("earliest")) {
                return null;
            }
            try {
                return Instant.parse(from);
            } catch (DateTimeParseException e) {
                throw new OperatorError("--from must be an ISO-8601 instant such as 2026-11-28T22:00:00Z, or earliest: " + from);
            }
        }
    }
}
