package dev.scimflow.ops.recovery;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.Installation;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.JvmOptions;
import dev.scimflow.ops.tokens.TenantCommand;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.BulkLoad;
import dev.scimflow.store.UserStoreSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scimflow rebuild store|audit}: derive an empty user store or audit log from {@code scim.events}, kept forever. */
@Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Rebuilds derived state from scim.events.",
        subcommands = {RebuildCommand.Store.class, RebuildCommand.Audit.class})
public final class RebuildCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "store", mixinStandardHelpOptions = true,
            description = {"Rebuilds the users, groups and memberships of an EMPTY user store from scim.events: each user's and"
                    + " group's latest snapshot, with the same id, version, created, lastModified and attributes, and each"
                    + " group's members (users and nested groups) as its events added and removed them; deleted ones stay"
                    + " deleted. Tenants missing from the database are created with --role-attribute; tenants already"
                    + " there keep their rows, tokens and settings. Tokens and tenant settings are not in the events"
                    + " (restore the tenants and tenant_tokens tables from a backup, or issue new tokens). The change"
                    + " ids of the events are recorded as applied, so a later replay skips them.",
                    "Refuses a store that has users or applied changes; it writes in one transaction, so after a failure"
                    + " the store is still empty and the command can simply run again.",
                    "Stop the workers while it runs, and start them afterwards: they continue from their offsets."})
    static final class Store implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        RecoveryTarget target;

        @Option(names = "--role-attribute", paramLabel = "core|extension", defaultValue = "extension",
                converter = TenantCommand.RoleAttributeOption.class, description = "For the tenants this creates: "
                        + TenantCommand.ROLE_ATTRIBUTE_HELP + " Default: ${DEFAULT-VALUE}.")
        RoleAttribute roleAttribute;

        @Override
        public Integer call() throws Exception {
            Progress progress = Progress.stderr();
            PrintWriter out = spec.commandLine().getOut();
            DataSource dataSource = target.database();
            UserStoreSchema.migrate(dataSource);
            long existing = count(dataSource, "select (select count(*) from scim.users) + (select count(*) from scim.groups)"
                    + " + (select count(*) from scim.applied_changes)");
            if (existing > 0) {
                throw new OperatorError("the user store is not empty (" + existing + " users, groups and applied changes):"
                        + " rebuild only into an empty database or schema");
            }
            Instant started = Instant.now();
            RebuiltStore store;
            long read;
            try (BulkLoad load = BulkLoad.begin(dataSource, progress::say)) {
                store = new RebuiltStore(load::add);
                read = readEvents(target.kafka(), store);
                progress.say("read " + read + " events in " + Duration.between(started, Instant.now()).toMillis() + " ms; writing "
                        + store.groups() + " groups and building the indexes");
                store.finish();
                load.tenants(store.tenants(), roleAttribute);
                load.commit();
            }
            long millis = Math.max(1, Duration.between(started, Instant.now()).toMillis());
            out.printf("rebuild store: %d users, %d groups with %d memberships from %d events, %d changes recorded as applied,"
                    + " in %d ms (%d users/s)%n", store.users(), store.groups(), store.memberships(), read, store.changes(), millis,
                    store.users() * 1000L / millis);
            out.flush();
            return 0;
        }

        /**
         * Folds every event there is now into the store, decoding on every core, a partition after the other: the rows of
         * applied changes, and the users of each partition read, go to PostgreSQL while the rest is still being read.
         */
        private static long readEvents(KafkaConnection kafka, RebuiltStore store) {
            try (KafkaConsumer<byte[], byte[]> reader = KafkaClients.reader(kafka);
                 PreparedInOrder<byte[], RebuiltStore.PreparedEvent> events = new PreparedInOrder<>(RebuiltStore::prepare, store::add,
                         Runtime.getRuntime().availableProcessors())) {
                return KafkaClients.readPartitions(reader, Topics.EVENTS, record -> events.accept(record.value()), partition -> {
                    events.finish();
                    store.partitionRead();
                });
            }
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = {"Rebuilds an EMPTY audit log from scim.events by running the audit service itself against the"
                    + " target database with a consumer group of its own until it has read every event there is, then"
                    + " stopping it and deleting that group. The records are those the audit service made the first time"
                    + " (same event ids and values), except internal row ids, written_at and the hash chain fields.",
                    "Refuses an audit schema that has records; run it again after a failure only on an emptied schema."})
    static final class Audit implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        RecoveryTarget target;

        @Option(names = "--audit-jar", paramLabel = "JAR", description = "The audit service's jar (default: the installation's).")
        Path auditJar;

        @Option(names = "--timeout", defaultValue = "PT1H", description = "How long to wait for it (ISO-8601, default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--log", paramLabel = "FILE", description = "Where the audit service's output goes (default: a temporary file).")
        Path log;

        @Override
        public Integer call() throws Exception {
            Progress progress = Progress.stderr();
            PrintWriter out = spec.commandLine().getOut();
            DataSource dataSource = target.database();
            long existing = auditRecords(dataSource);
            if (existing > 0) {
                throw new OperatorError("the audit log is not empty (" + existing + " records): rebuild only into an empty"
                        + " audit schema");
            }
            Path jar = auditJar != null ? auditJar : Installation.current().serviceJar("audit-service");
            Path output = log != null ? log : Files.createTempFile("scimflow-audit-rebuild", ".log");
            String group = "scimflow-audit-rebuild-" + Instant.now().getEpochSecond();
            KafkaConnection kafka = target.kafka();
            String[] database = target.databaseSettings();
            try (Admin admin = KafkaClients.admin(kafka)) {
                Map<TopicPartition, Long> ends = GroupLag.ends(admin, Topics.EVENTS);
                List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(JvmOptions.longRunning());
                command.addAll(List.of("-jar", jar.toString()));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put("SERVER_PORT", Integer.toString(freePort()));
                builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap());
                // --kafka-config's settings, as spring.kafka.properties: in the environment, never on the command line
                if (kafka.springApplicationJson() != null) {
                    builder.environment().put("SPRING_APPLICATION_JSON", kafka.springApplicationJson());
                }
                builder.environment().put("SPRING_DATASOURCE_URL", database[0]);
                builder.environment().put("SPRING_DATASOURCE_USERNAME", database[1]);
                builder.environment().put("SPRING_DATASOURCE_PASSWORD", database[2]);
                builder.environment().put("SPRING_KAFKA_CONSUMER_GROUP_ID", group);
                builder.environment().put("SCIMFLOW_AUDIT_RETENTION_ENABLED", "false");
                // the request log is not rebuilt (it is not in scim.events), and the live service's request log
                // consumers must not lose scim.requests partitions to this one
                builder.environment().put("SCIMFLOW_AUDIT_REQUEST_LOG_ENABLED", "false");
                progress.say("running the audit service as consumer group " + group + " (log: " + output + ")");
                Process audit = builder.start();
                try {
                    GroupLag.await(admin, group, ends, timeout, audit::isAlive,
                            behind -> progress.say(behind + " events still to be read"));
                } finally {
                    audit.destroy();
                    if (!audit.waitFor(30, TimeUnit.SECONDS)) {
                        audit.destroyForcibly();
                    }
                }
                admin.deleteConsumerGroups(List.of(group)).all().get();
            }
            long records = auditRecords(dataSource);
            out.printf("rebuild audit: %d audit records from %s%n", records, Topics.EVENTS);
            out.flush();
            return 0;
        }
    }

    /** The audit log's records; none where the audit service has not created its schema yet. */
    static long auditRecords(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             ResultSet table = connection.createStatement().executeQuery("select to_regclass('audit.deactivations')")) {
            table.next();
            if (table.getString(1) == null) {
                return 0;
            }
        }
        return count(dataSource, "select count(*) from audit.deactivations");
    }

    static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
