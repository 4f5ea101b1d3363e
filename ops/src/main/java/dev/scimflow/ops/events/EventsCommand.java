package dev.scimflow.ops.events;

import java.io.PrintWriter;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.recovery.GroupLag;
import dev.scimflow.ops.recovery.KafkaClients;
import dev.scimflow.ops.recovery.KafkaConnection;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.DataDirLock;
import dev.scimflow.ops.stack.StackFile;
import dev.scimflow.ops.tokens.UserStoreTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow events}: the events service's streams as operators see them (every tenant's, with how far behind each
 * is, its unacknowledged SETs and the SETs its receiver refused), pausing and resuming one, and rotating the signing key.
 * It works on the {@code events} schema directly, like the token commands on {@code scim}; the service notices a change
 * within a second.
 */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Lists SCIM event streams with their lag and failures, pauses and resumes them, rotates the signing key.", subcommands = {
        EventsCommand.Streams.class, EventsCommand.Pause.class, EventsCommand.Resume.class,
        EventsCommand.Failures.class, EventsCommand.RotateKey.class, EventsBenchCommand.class})
public final class EventsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** The events schema of the target database, or an operator error when the events service never ran there. */
    static JdbcClient eventsSchema(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        if (jdbc.sql("select to_regclass('events.streams')::text").query(String.class).optional().isEmpty()) {
            throw new OperatorError("there is no events schema yet: the events service creates it when it first starts");
        }
        return jdbc;
    }

    @Command(name = "streams", mixinStandardHelpOptions = true, description = "Lists the streams of every tenant (or one): method, status, records behind, unacknowledged SETs, failures.")
    static final class Streams implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", description = "Only this tenant's streams.")
        String tenant;

        @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "A deployment's Kafka, to show how far behind each stream is"
                + " (a running local stack's is found by itself).")
        String kafka;

        @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for --kafka (security.protocol,"
                + " sasl.*, ssl.*, ...; bootstrap.servers stands for --kafka). Values are never printed.")
        java.nio.file.Path kafkaConfig;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                JdbcClient jdbc = eventsSchema(store.dataSource());
                Optional<Map<TopicPartition, Long>> ends = ends();
                List<Map<String, Object>> streams = jdbc.sql("""
                        select s.id, s.tenant_id, s.delivery_method, s.status, coalesce(s.endpoint_url, '(poll)') as endpoint,
                            (select count(*) from events.pending_sets p where p.stream_id = s.id) as pending,
                            (select count(*) from events.delivery_failures f where f.stream_id = s.id) as failures
                        from events.streams s where (?::text is null or s.tenant_id = ?) order by s.tenant_id, s.created_at""")
                        .params(tenant, tenant).query().listOfRows();
                out.printf("%-36s  %-16s  %-4s  %-8s  %8s  %7s  %8s  %s%n", "STREAM", "TENANT", "HOW", "STATUS", "BEHIND", "PENDING",
                        "FAILURES", "ENDPOINT");
                for (Map<String, Object> stream : streams) {
                    String id = (String) stream.get("id");
                    String behind = ends.map(end -> Long.toString(behind(jdbc, id, end))).orElse("?");
                    out.printf("%-36s  %-16s  %-4s  %-8s  %8s  %7s  %8s  %s%n", id, stream.get("tenant_id"),
                            "urn:ietf:rfc:8935".equals(stream.get("delivery_method")) ? "push" : "poll", stream.get("status"), behind,
                            stream.get("pending"), stream.get("failures"), stream.get("endpoint"));
                }
                if (streams.isEmpty()) {
                    out.println("(no streams)");
                }
                out.flush();
            }
            return 0;
        }

        /** Records of scim.events after the stream's position: all tenants' records count, as the stream reads them all. */
        private static long behind(JdbcClient jdbc, String streamId, Map<TopicPartition, Long> ends) {
            Map<Integer, Long> positions = new java.util.HashMap<>();
            jdbc.sql("select partition, next_offset from events.stream_positions where stream_id = ?").param(streamId)
                    .query((rs, row) -> positions.put(rs.getInt(1), rs.getLong(2))).list();
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                behind += Math.max(0, end.getValue() - positions.getOrDefault(end.getKey().partition(), 0L));
            }
            return behind;
        }

        private Optional<Map<TopicPartition, Long>> ends() {
            KafkaConnection connection = KafkaConnection.of(kafka, kafkaConfig, () -> {
                if (target.isDeployment()) {
                    return null;
                }
                DataDir dir = new DataDir(target.dataDir());
                return DataDirLock.isHeld(dir) ? StackFile.read(dir).map(StackFile::kafkaBootstrap).orElse(null) : null;
            });
            if (connection.bootstrap() == null) {
                return Optional.empty();
            }
            if (kafkaConfig != null) {
                Progress.stderr().say("Kafka at " + connection.describe() + " (from " + kafkaConfig + ")");
            }
            try (Admin admin = KafkaClients.admin(connection)) {
                return Optional.of(GroupLag.ends(admin, Topics.EVENTS));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses a stream: its events are held at its position and delivered when it is resumed.")
    static final class Pause implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STREAM", description = "The stream id, as `events streams` shows it.")
        String id;

        @Option(names = "--reason", defaultValue = "paused by an operator", description = "Shown to the receiver as the status reason.")
        String reason;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            return setStatus(spec, target, id, "enabled", "paused", reason);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused stream: it delivers what it held, in order, then what comes.")
    static final class Resume implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STREAM", description = "The stream id, as `events streams` shows it.")
        String id;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            return setStatus(spec, target, id, "paused", "enabled", null);
        }
    }

    private static int setStatus(CommandSpec spec, UserStoreTarget target, String id, String from, String to, String reason)
            throws Exception {
        try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
            JdbcClient jdbc = eventsSchema(store.dataSource());
            String status = jdbc.sql("select status from events.streams where id = ?").param(id).query(String.class).optional()
                    .orElseThrow(() -> new OperatorError("no stream " + id));
            if (status.equals(to)) {
                spec.commandLine().getOut().println("stream " + id + " is already " + to);
            } else if (!status.equals(from)) {
                throw new OperatorError("stream " + id + " is " + status + ": only its receiver can enable a disabled stream"
                        + " (SSF status endpoint), which drops what happened meanwhile");
            } else {
                jdbc.sql("update events.streams set status = ?, status_reason = ?, updated_at = clock_timestamp() where id = ?")
                        .params(to, reason, id).update();
                spec.commandLine().getOut().println("stream " + id + " is now " + to);
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    @Command(name = "failures", mixinStandardHelpOptions = true, description = "The SETs a stream's receiver refused for good (a 4xx to a push, or setErrs of a poll), newest first.")
    static final class Failures implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STREAM", description = "The stream id, as `events streams` shows it.")
        String id;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--show-sets", description = "Also print each SET (compact JWS) as it was sent.")
        boolean showSets;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                JdbcClient jdbc = eventsSchema(store.dataSource());
                List<Map<String, Object>> failures = jdbc.sql("""
                        select failed_at, jti, http_status, error, description, set_jwt from events.delivery_failures
                        where stream_id = ? order by id desc limit ?""").params(id, limit).query().listOfRows();
                for (Map<String, Object> failure : failures) {
                    out.printf("%s  jti %s  %s %s%s%n", ((Timestamp) failure.get("failed_at")).toInstant(), failure.get("jti"),
                            failure.get("http_status") == null ? "setErr" : "HTTP " + failure.get("http_status"),
                            failure.get("error") == null ? "" : failure.get("error"),
                            failure.get("description") == null ? "" : ": " + failure.get("description"));
                    if (showSets) {
                        out.println("  " + failure.get("set_jwt"));
                    }
                }
                if (failures.isEmpty()) {
                    out.println("(no delivery failures for stream " + id + ")");
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true, description = {
            "Adds a new signing key (ES256). It is published at jwks_uri at once and signs from --activate-in on;",
            "the keys it replaces stay published for --retire-after more, so receivers can verify SETs signed before."})
    static final class RotateKey implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--activate-in", defaultValue = "10m", description = "How long receivers get to fetch the new key before it signs"
                + " (default: ${DEFAULT-VALUE}); the service reloads keys every 30 s.")
        String activateIn;

        @Option(names = "--retire-after", defaultValue = "7d", description = "How long the old keys stay published after the new one"
                + " signs (default: ${DEFAULT-VALUE}): longer than a poll receiver may leave SETs unacknowledged.")
        String retireAfter;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            Duration activation = duration("--activate-in", activateIn);
            Duration retirement = duration("--retire-after", retireAfter);
            ECKey key;
            try {
                key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).generate();
            } catch (JOSEException e) {
                throw new OperatorError("cannot generate a P-256 key: " + e.getMessage(), e);
            }
            Instant activatesAt = Instant.now().plus(activation);
            Instant retiresAt = activatesAt.plus(retirement);
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                JdbcClient jdbc = eventsSchema(store.dataSource());
                jdbc.sql("insert into events.signing_keys (kid, jwk, activates_at) values (?, ?, ?)")
                        .params(key.getKeyID(), key.toJSONString(), Timestamp.from(activatesAt)).update();
                int retired = jdbc.sql("""
                        update events.signing_keys set retires_at = ?
                        where kid <> ? and (retires_at is null or retires_at > ?)""")
                        .params(Timestamp.from(retiresAt), key.getKeyID(), Timestamp.from(retiresAt)).update();
                PrintWriter out = spec.commandLine().getOut();
                out.printf("new signing key %s: published now, signs from %s; %d older key(s) published until %s%n", key.getKeyID(),
                        activatesAt, retired, retiresAt);
                out.flush();
            }
            return 0;
        }

        /** {@code 0}, {@code 90s}, {@code 10m}, {@code 1h}, {@code 7d}. */
        static Duration duration(String option, String text) {
            java.util.regex.Matcher form = java.util.regex.Pattern.compile("(\\d+)([smhd]?)").matcher(text.strip());
            if (!form.matches()) {
                throw new OperatorError(option + ": '" + text + "' is not a duration like 0, 90s, 10m, 1h or 7d");
            }
            long amount = Long.parseLong(form.group(1));
            return switch (form.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
    }
}
