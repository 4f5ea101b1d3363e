package dev.scimflow.ops.dlt;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.Topics;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.recovery.KafkaClients;
import dev.scimflow.ops.recovery.KafkaConnection;
import dev.scimflow.ops.recovery.KafkaTarget;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow dlt list|redrive}: the poison changes in {@code scim.changes-dlt}, with why they failed, and sending
 * chosen ones back to {@code scim.changes} once their cause is fixed. A poison change was never applied (its
 * transaction rolled back), and a re-driven change that was applied meanwhile is skipped by its change id: re-driving
 * twice is harmless.
 */
@Command(name = "dlt", mixinStandardHelpOptions = true, description = "Lists and re-drives dead-lettered changes.", subcommands = {
        DltCommand.ListChanges.class, DltCommand.Redrive.class})
public final class DltCommand implements Runnable {

    static final String EXCEPTION = "kafka_dlt-exception-fqcn";
    static final String MESSAGE = "kafka_dlt-exception-message";
    static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every dead-lettered change: its position (PARTITION:OFFSET, what redrive takes), when,"
            + " its key, change id and operation, where it came from, and the error.")
    static final class ListChanges implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaTarget target;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<ConsumerRecord<byte[], byte[]>> records = readAll(target.kafka());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                out.printf("%d:%d  %s  key %s  %s  from %s:%s  %s: %s%n", record.partition(), record.offset(),
                        Instant.ofEpochMilli(record.timestamp()), text(record.key()), describe(record.value()),
                        header(record, ORIGINAL_PARTITION, true), header(record, ORIGINAL_OFFSET, true),
                        header(record, EXCEPTION, false), header(record, MESSAGE, false));
            }
            out.printf("%d dead-lettered change(s) in %s%n", records.size(), Topics.CHANGES_DLT);
            out.flush();
            return 0;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true, description = "Publishes the chosen dead-lettered changes to scim.changes again, unchanged (same key, same"
            + " change id), in their order in the dead-letter topic. Fix their cause first.")
    static final class Redrive implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaTarget target;

        static final class Choice {
            @Option(names = "--all", required = true, description = "Every dead-lettered change.")
            boolean all;

            @Parameters(paramLabel = "PARTITION:OFFSET", arity = "1..*", description = "Positions as `dlt list` shows them.")
            List<String> positions;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Choice choice;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Set<String> wanted = new LinkedHashSet<>(choice.positions == null ? List.of() : choice.positions);
            for (String position : wanted) {
                if (!position.matches("\\d+:\\d+")) {
                    throw new OperatorError("not a PARTITION:OFFSET position: " + position);
                }
            }
            KafkaConnection kafka = target.kafka();
            List<ConsumerRecord<byte[], byte[]>> chosen = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : readAll(kafka)) {
                if (choice.all || wanted.remove(record.partition() + ":" + record.offset())) {
                    chosen.add(record);
                }
            }
            if (!wanted.isEmpty()) {
                throw new OperatorError("no dead-lettered change at " + String.join(", ", wanted) + " (see `scimflow dlt list`);"
                        + " nothing was re-driven");
            }
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka)) {
                for (ConsumerRecord<byte[], byte[]> record : chosen) {
                    producer.send(new ProducerRecord<>(Topics.CHANGES, record.key(), record.value()));
                }
                producer.flush();
            }
            out.printf("re-drove %d change(s) to %s%n", chosen.size(), Topics.CHANGES);
            out.flush();
            return 0;
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConnection kafka) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = KafkaClients.reader(kafka)) {
            KafkaClients.readAll(reader, Topics.CHANGES_DLT, records::add);
        }
        records.sort(java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static String describe(byte[] value) {
        try {
            ScimChange change = EventCodec.change(value);
            return "change " + change.changeId() + " " + change.operation() + " " + change.resourceType() + " " + change.resourceId()
                    + " (tenant " + change.tenant() + ", request " + change.requestId() + ")";
        } catch (RuntimeException undecodable) {
            return "undecodable (" + (value == null ? 0 : value.length) + " bytes)";
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name, boolean number) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            return "?";
        }
        if (number && header.value().length == 4) {
            return Integer.toString(java.nio.ByteBuffer.wrap(header.value()).getInt());
        }
        if (number && header.value().length == 8) {
            return Long.toString(java.nio.ByteBuffer.wrap(header.value()).getLong());
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "(none)" : new String(bytes, StandardCharsets.UTF_8);
    }
}
