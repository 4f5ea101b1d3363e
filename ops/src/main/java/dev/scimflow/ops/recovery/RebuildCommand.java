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
@Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Rebuilds derived state from scim.events.", subcommands = {
        RebuildCommand.Store.class, RebuildCommand.Audit.class, RebuildCommand.DropOld.class})
public final class RebuildCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "store", mixinStandardHelpOptions = true, description = {
            "Rebuilds the users, groups and memberships of an EMPTY user store from scim.events: each user's and"
                    + " group's latest snapshot, with the same id, version, created, lastModified and attributes, and each"
                    + " group's members (users and nested groups) as its events added and removed them; deleted ones stay"
                    + " deleted. Tenants missing from the database are created with --role-attribute; tenants already"
                    + " there keep their rows, tokens and settings. Tokens and tenant settings are not in the events"
                    + " (restore the tenants and tenant_tokens tables from a backup, or issue new tokens). The change"
                    + " ids of the events are recorded as applied, so a later replay skips them.",
            "Refuses a store that has users or applied changes; it writes in one transaction, so after a failure"
                    + " the store is still empty and the command can simply run again.",
            "Stop the workers while it runs, and start them afterwards: they continue from their offsets. With"
                    + " --replace the services keep running: it rebuilds beside the live store and switches the two."})
    static final class Store implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        RecoveryTarget target;

        @Option(names = "--role-attribute", paramLabel = "core|extension", defaultValue = "extension", converter = TenantCommand.RoleAttributeOption.class, description = "For the tenants this creates: "
                + TenantCommand.ROLE_ATTRIBUTE_HELP + " Default: ${DEFAULT-VALUE}.")
        RoleAttribute roleAttribute;

        @Option(names = "--replace", description = "Rebuild into a new schema beside the live store while the services run,"
                + " catch up with what the worker applies meanwhile, verify, and switch to it in one transaction, pausing writes"
                + " for about a second; the live store is kept as " + StoreReplacement.OLD_PREFIX + "<time> until"
                + " 'scimflow rebuild drop-old'. Tenants, tokens and the outcomes of failed changes are copied from the live store.")
        boolean replace;

        @Option(names = "--lock-timeout", defaultValue = "PT2S", description = "With --replace: how long the switch waits for"
                + " each lock before it rolls back and tries again (ISO-8601, default: ${DEFAULT-VALUE}).")
        Duration lockTimeout;

        @Option(names = "--max-pause", defaultValue = "PT10S", description = "With --replace: the longest writes may be paused;"
                + " a switch that would take longer is rolled back and tried again (ISO-8601, default: ${DEFAULT-VALUE}).")
        Duration maxPause;

        @Option(names = "--accept-differences", description = "With --replace: switch even when the rebuilt store's row counts"
                + " differ from the live one's (the live store is what is damaged).")
        boolean acceptDifferences;

        @Override
        public Integer call() throws Exception {
            Progress progress = Progress.stderr();
            PrintWriter out = spec.commandLine().getOut();
            DataSource dataSource = target.database();
            if (replace) {
                return replace(dataSource, progress, out);
            }
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
                read = readEvents(target.kafka(), store, progress);
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
        private static long readEvents(KafkaConnection kafka, RebuiltStore store, Progress progress) {
            try (KafkaConsumer<byte[], byte[]> reader = KafkaClients.reader(kafka)) {
                return readEvents(reader, KafkaClients.ends(reader, Topics.EVENTS), store, progress);
            }
        }

        private static long readEvents(KafkaConsumer<byte[], byte[]> reader, Map<TopicPartition, Long> ends, RebuiltStore store,
                                       Progress progress) {
            ReadProgress read = new ReadProgress(progress, reader.beginningOffsets(ends.keySet()), ends);
            try (PreparedInOrder<byte[], RebuiltStore.PreparedEvent> events = new PreparedInOrder<>(RebuiltStore::prepare, store::add,
                    Runtime.getRuntime().availableProcessors())) {
                return KafkaClients.readPartitions(reader, ends, record -> {
                    events.accept(record.value());
                    read.one();
                }, partition -> {
                    events.finish();
                    store.partitionRead();
                });
            }
        }

        /**
         * {@code --replace}: the store rebuilt in a schema of its own up to the topic's end now, caught up with what came
         * since, then switched with the live one.
         */
        private Integer replace(DataSource dataSource, Progress progress, PrintWriter out) throws Exception {
            Instant started = Instant.now();
            try (KafkaConsumer<byte[], byte[]> reader = KafkaClients.reader(target.kafka())) {
                StoreReplacement replacement = new StoreReplacement(dataSource, reader, roleAttribute, lockTimeout, maxPause,
                        acceptDifferences, progress);
                replacement.prepare();
                Map<TopicPartition, Long> ends = KafkaClients.ends(reader, Topics.EVENTS);
                RebuiltStore store;
                long read;
                try (BulkLoad load = BulkLoad.begin(dataSource, StoreReplacement.REBUILD, progress::say)) {
                    store = new RebuiltStore(load::add);
                    read = readEvents(reader, ends, store, progress);
                    progress.say("read " + read + " events in " + Duration.between(started, Instant.now()).toMillis() + " ms; writing "
                            + store.groups() + " groups and building the indexes of schema " + StoreReplacement.REBUILD);
                    store.finish();
                    load.tenants(store.tenants(), roleAttribute);
                    load.commit();
                }
                replacement.loaded(ends);
                StoreReplacement.Switched switched = replacement.switchOver();
                out.printf("rebuild store --replace: %d users, %d groups with %d memberships from %d events, and %d events applied"
                        + " during the rebuild; writes paused %d ms for the switch; in %d ms%n", store.users(), store.groups(),
                        store.memberships(), read, switched.caughtUp(), switched.pausedMillis(),
                        Duration.between(started, Instant.now()).toMillis());
                out.println("verified: every event of " + Topics.EVENTS + " up to its end while writes were paused (the outbox relayed),"
                        + " and the rows of each table, live / rebuilt:");
                switched.counts().forEach((table, counts) -> out.printf("  %-20s %d / %d%s%n", table, counts[0], counts[1],
                        counts[0] == counts[1] ? "" : "  DIFFERENT"));
                out.println("the live store is now the rebuilt one; the one it replaced is schema " + switched.oldSchema()
                        + " (scimflow rebuild drop-old " + switched.oldSchema() + " removes it)");
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = {
            "Rebuilds an EMPTY audit log from scim.events by running the audit service itself against the"
                    + " target database with a consumer group of its own until it has read every event there is, then"
                    + " stopping it and deleting that group. The records are those the audit service made the first time"
                    + " (same event ids and values), except internal row ids, written_at and the hash chain fields.",
            "Refuses an audit schema that has records; --replace rebuilds beside the live log instead and switches"
                    + " the two while the audit service runs."})
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

        @Option(names = "--replace", description = "Rebuild in a database of its own (created and dropped by the command, which"
                + " needs CREATEDB) while the live audit service runs, copy it beside the live log as schema "
                + AuditReplacement.REBUILD + " and switch the two in one transaction; the live log is kept as "
                + AuditReplacement.OLD_PREFIX + "<time> until 'scimflow rebuild drop-old'. The request log and operator"
                + " sessions are copied from the live log.")
        boolean replace;

        @Option(names = "--lock-timeout", defaultValue = "PT2S", description = "With --replace: how long the switch waits for"
                + " each lock (ISO-8601, default: ${DEFAULT-VALUE}).")
        Duration lockTimeout;

        @Option(names = "--max-pause", defaultValue = "PT10S", description = "With --replace: the longest the live audit service's"
                + " writes may be paused (ISO-8601, default: ${DEFAULT-VALUE}).")
        Duration maxPause;

        @Option(names = "--accept-differences", description = "With --replace: switch even when records of the live log are"
                + " missing from the rebuilt one (the live log is what is damaged).")
        boolean acceptDifferences;

        @Override
        public Integer call() throws Exception {
            Progress progress = Progress.stderr();
            PrintWriter out = spec.commandLine().getOut();
            DataSource dataSource = target.database();
            if (replace) {
                return replace(dataSource, progress, out);
            }
            long existing = auditRecords(dataSource);
            if (existing > 0) {
                throw new OperatorError("the audit log is not empty (" + existing + " records): rebuild only into an empty"
                        + " audit schema, or replace it with --replace");
            }
            String group = "scimflow-audit-rebuild-" + Instant.now().getEpochSecond();
            KafkaConnection kafka = target.kafka();
            String[] database = target.databaseSettings();
            try (Admin admin = KafkaClients.admin(kafka)) {
                Map<TopicPartition, Long> ends = GroupLag.ends(admin, Topics.EVENTS);
                Process audit = start(kafka, database[0], database, group, progress);
                try {
                    GroupLag.await(admin, group, ends, timeout, audit::isAlive,
                            behind -> progress.say(behind + " events still to be read"));
                } finally {
                    stop(audit);
                }
                admin.deleteConsumerGroups(List.of(group)).all().get();
            }
            long records = auditRecords(dataSource);
            out.printf("rebuild audit: %d audit records from %s%n", records, Topics.EVENTS);
            out.flush();
            return 0;
        }

        /**
         * {@code --replace}: the audit service run against a database of its own until it has read every event, its log
         * copied beside the live one, and the two switched while it goes on recording what arrives.
         */
        private Integer replace(DataSource live, Progress progress, PrintWriter out) throws Exception {
            String[] database = target.databaseSettings();
            String scratch;
            try (Connection connection = live.getConnection();
                    java.sql.Statement statement = connection.createStatement();
                    ResultSet name = statement.executeQuery("select current_database() || '_audit_rebuild'")) {
                name.next();
                scratch = name.getString(1);
            }
            String scratchUrl = database[0].replaceFirst("/[^/?]+(\\?|$)", "/" + scratch + "$1");
            dropDatabase(live, scratch);
            try (Connection connection = live.getConnection(); java.sql.Statement statement = connection.createStatement()) {
                statement.execute("create database \"" + scratch.replace("\"", "\"\"") + "\"");
            }
            org.postgresql.ds.PGSimpleDataSource rebuilt = new org.postgresql.ds.PGSimpleDataSource();
            rebuilt.setUrl(scratchUrl);
            rebuilt.setUser(database[1]);
            rebuilt.setPassword(database[2]);
            String group = "scimflow-audit-rebuild-" + Instant.now().getEpochSecond();
            KafkaConnection kafka = target.kafka();
            Instant started = Instant.now();
            try (Admin admin = KafkaClients.admin(kafka)) {
                Map<TopicPartition, Long> ends = GroupLag.ends(admin, Topics.EVENTS);
                Process audit = start(kafka, scratchUrl, database, group, progress);
                try {
                    GroupLag.await(admin, group, ends, timeout, audit::isAlive,
                            behind -> progress.say(behind + " events still to be read"));
                    AuditReplacement replacement = new AuditReplacement(live, rebuilt, lockTimeout, maxPause, acceptDifferences, progress);
                    replacement.prepare();
                    replacement.copyRecorded();
                    AuditReplacement.Switched switched = replacement.switchOver(admin, group, audit::isAlive);
                    out.printf("rebuild audit --replace: %d audit records rebuilt from %s (the live log had %d, all of them among"
                            + " the rebuilt by event id); the live audit service's writes paused %d ms for the switch; in %d ms%n",
                            switched.rebuiltRecords(), Topics.EVENTS, switched.liveRecords(), switched.pausedMillis(),
                            Duration.between(started, Instant.now()).toMillis());
                    out.println("the live audit log is now the rebuilt one; the one it replaced is schema " + switched.oldSchema()
                            + " (scimflow rebuild drop-old " + switched.oldSchema() + " removes it)");
                } finally {
                    stop(audit);
                    try {
                        admin.deleteConsumerGroups(List.of(group)).all().get();
                    } catch (java.util.concurrent.ExecutionException gone) {
                        // the service failed before it joined: there is no group to delete
                    }
                    dropDatabase(live, scratch);
                }
            }
            out.flush();
            return 0;
        }

        /** The audit service against that database as a consumer group of its own, one consumer, no retention. */
        private Process start(KafkaConnection kafka, String jdbcUrl, String[] database, String group, Progress progress)
                throws IOException {
            Path jar = auditJar != null ? auditJar : Installation.current().serviceJar("audit-service");
            Path output = log != null ? log : Files.createTempFile("scimflow-audit-rebuild", ".log");
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
            builder.environment().put("SPRING_DATASOURCE_URL", jdbcUrl);
            builder.environment().put("SPRING_DATASOURCE_USERNAME", database[1]);
            builder.environment().put("SPRING_DATASOURCE_PASSWORD", database[2]);
            builder.environment().put("SPRING_KAFKA_CONSUMER_GROUP_ID", group);
            builder.environment().put("SCIMFLOW_AUDIT_RETENTION_ENABLED", "false");
            // one consumer: its records are written one transaction after the other, so their ids rise in commit order
            builder.environment().put("SCIMFLOW_AUDIT_CONSUMERS", "1");
            // the request log is not rebuilt (it is not in scim.events), and the live service's request log
            // consumers must not lose scim.requests partitions to this one
            builder.environment().put("SCIMFLOW_AUDIT_REQUEST_LOG_ENABLED", "false");
            progress.say("running the audit service as consumer group " + group + " (log: " + output + ")");
            return builder.start();
        }

        private static void stop(Process audit) throws InterruptedException {
            audit.destroy();
            if (!audit.waitFor(30, TimeUnit.SECONDS)) {
                audit.destroyForcibly();
            }
        }

        private static void dropDatabase(DataSource live, String name) throws SQLException {
            try (Connection connection = live.getConnection(); java.sql.Statement statement = connection.createStatement()) {
                statement.execute("drop database if exists \"" + name.replace("\"", "\"\"") + "\" with (force)");
            }
        }
    }

    @Command(name = "drop-old", mixinStandardHelpOptions = true, description = {
            "Drops schemas that 'rebuild store|audit --replace' kept: the stores and audit logs they replaced ("
                    + StoreReplacement.OLD_PREFIX + "<time>, " + AuditReplacement.OLD_PREFIX + "<time>). Without names or --all it"
                    + " lists them."})
    static final class DropOld implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        RecoveryTarget target;

        @picocli.CommandLine.Parameters(paramLabel = "SCHEMA", arity = "0..*", description = "The schemas to drop, as listed.")
        List<String> schemas = List.of();

        @Option(names = "--all", description = "Drop every schema a replacement kept.")
        boolean all;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            DataSource dataSource = target.database();
            List<String> kept = new java.util.ArrayList<>();
            try (Connection connection = dataSource.getConnection();
                    java.sql.PreparedStatement query = connection.prepareStatement(
                            "select nspname from pg_namespace where starts_with(nspname, ?) or starts_with(nspname, ?) order by nspname")) {
                query.setString(1, StoreReplacement.OLD_PREFIX);
                query.setString(2, AuditReplacement.OLD_PREFIX);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        kept.add(rows.getString(1));
                    }
                }
                List<String> dropping = all ? kept : schemas;
                for (String schema : dropping) {
                    if (!kept.contains(schema)) {
                        throw new OperatorError("no schema " + schema + " kept by a replacement (kept: " + kept + ")");
                    }
                }
                if (dropping.isEmpty()) {
                    out.println(kept.isEmpty() ? "no schema kept by a replacement" : "kept by a replacement: " + String.join(" ", kept));
                }
                for (String schema : dropping) {
                    connection.createStatement().execute("drop schema " + schema + " cascade");
                    out.println("dropped " + schema);
                }
            }
            out.flush();
            return 0;
        }
    }

    /** Says now and then how far the read of the topic is: events read of those there are, the rate, what is left. */
    static final class ReadProgress {
        private static final long EVERY_NANOS = 5_000_000_000L;
        private final Progress progress;
        private final long total;
        private final long started = System.nanoTime();
        private long last = started;
        private long read;

        ReadProgress(Progress progress, Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends) {
            this.progress = progress;
            this.total = ends.entrySet().stream().mapToLong(end -> end.getValue() - beginnings.getOrDefault(end.getKey(), 0L)).sum();
        }

        void one() {
            read++;
            if ((read & 1023) == 0 && System.nanoTime() - last >= EVERY_NANOS) {
                last = System.nanoTime();
                long perSecond = read * 1_000_000_000L / Math.max(1, last - started);
                progress.say("read " + read + " of " + total + " events (" + read * 100 / Math.max(1, total) + " %), " + perSecond
                        + " events/s, about " + (total - read) / Math.max(1, perSecond) + " s left");
            }
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
