package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker-compose.yml} cannot run on the machines this project is built on (no Docker engine), so what an
 * operator relies on is pinned here by reading it: that it is a Compose file Compose accepts in each profile, that the
 * broker's and the database's data are on volumes, that every long-running container restarts, reports its health and
 * is given longer to stop than its shutdown takes, that the heap is pinned, that nothing is published beyond this host,
 * that each service uses its own database role, and that the topics are those of {@link TopicPlan}.
 */
class ComposeFileTest {

    private static final Path REPOSITORY = Path.of("..");
    private static final List<String> PROFILES = List.of("single-broker", "three-brokers");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}");

    /** Keys of the Compose specification this file may use (a subset of those Compose knows). */
    private static final Set<String> TOP_LEVEL = Set.of("version", "name", "include", "services", "networks", "volumes",
            "secrets", "configs");
    private static final Set<String> SERVICE_KEYS = Set.of("build", "command", "container_name", "cpus", "depends_on",
            "deploy", "entrypoint", "env_file", "environment", "expose", "healthcheck", "hostname", "image", "init",
            "labels", "logging", "mem_limit", "networks", "ports", "profiles", "read_only", "restart", "secrets",
            "security_opt", "stop_grace_period", "stop_signal", "tmpfs", "ulimits", "user", "volumes", "working_dir");
    private static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period",
            "start_interval", "disable");
    private static final Set<String> DEPENDENCY_KEYS = Set.of("condition", "required", "restart");
    private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final Set<String> RESTART_POLICIES = Set.of("no", "always", "on-failure", "unless-stopped");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(ns|us|ms|s|m|h))+");
    private static final Pattern PORT = Pattern.compile("((\\d{1,3}\\.){3}\\d{1,3}:)?(\\d+:)?\\d+(/(tcp|udp))?");

    private final Map<String, Object> compose = load(REPOSITORY.resolve("docker-compose.yml"));

    @Test
    void everyKeyIsOneComposeKnowsAndEveryReferenceResolvesInEachProfile() {
        assertThat(compose.keySet()).allMatch(key -> TOP_LEVEL.contains(key) || key.startsWith("x-"));
        services().forEach((name, service) -> {
            assertThat(service.keySet()).as(name).allMatch(key -> SERVICE_KEYS.contains(key) || key.startsWith("x-"));
            assertThat(service.get("image") != null || service.get("build") != null).as(name + " has an image or a build").isTrue();
            if (service.containsKey("restart")) {
                assertThat(String.valueOf(service.get("restart")).replaceFirst(":\\d+$", "")).as(name).isIn(RESTART_POLICIES);
            }
            for (String duration : List.of("stop_grace_period")) {
                if (service.containsKey(duration)) {
                    assertThat(String.valueOf(service.get(duration))).as(name + " " + duration).matches(GO_DURATION);
                }
            }
            Map<String, Object> health = map(service.get("healthcheck"));
            assertThat(health.keySet()).as(name + " healthcheck").allMatch(HEALTHCHECK_KEYS::contains);
            health.forEach((key, value) -> {
                if (Set.of("interval", "timeout", "start_period", "start_interval").contains(key)) {
                    assertThat(String.valueOf(value)).as(name + " healthcheck " + key).matches(GO_DURATION);
                }
            });
            if (health.containsKey("test")) {
                assertThat(list(health.get("test")).get(0)).as(name + " healthcheck test").isIn("CMD", "CMD-SHELL", "NONE");
            }
            for (Object port : list(service.get("ports"))) {
                assertThat(interpolate(String.valueOf(port))).as(name + " port").matches(PORT);
            }
            dependencies(name).forEach((dependency, settings) -> {
                assertThat(services()).as(name + " depends on " + dependency).containsKey(dependency);
                assertThat(settings.keySet()).as(name + " -> " + dependency).allMatch(DEPENDENCY_KEYS::contains);
                assertThat(String.valueOf(settings.get("condition"))).as(name + " -> " + dependency).isIn(CONDITIONS);
            });
            for (Object volume : list(service.get("volumes"))) {
                String source = String.valueOf(volume).split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    assertThat(map(compose.get("volumes"))).as(name + " volume " + source).containsKey(source);
                } else {
                    assertThat(REPOSITORY.resolve(source)).as(name + " mounts " + source).exists();
                }
            }
            for (Object secret : items(service.get("secrets"))) {
                String source = secret instanceof Map<?, ?> long_ ? String.valueOf(long_.get("source")) : String.valueOf(secret);
                assertThat(map(compose.get("secrets"))).as(name + " secret " + source).containsKey(source);
            }
            Object build = service.get("build");
            if (build != null) {
                assertThat(REPOSITORY.resolve(String.valueOf(build)).resolve("Dockerfile")).exists();
            }
        });
        // Compose refuses a project in which an active service requires one that the active profiles leave out
        for (String profile : PROFILES) {
            Set<String> active = active(profile);
            for (String name : active) {
                dependencies(name).forEach((dependency, settings) -> {
                    if (!Boolean.FALSE.equals(settings.get("required"))) {
                        assertThat(active).as("with --profile " + profile + ", " + name + " requires " + dependency).contains(dependency);
                    }
                });
            }
            assertThat(active).as(profile).containsAll(List.of("postgres", "provisioning-worker", "scim-ingress",
                    "audit-service", "events-service"));
        }
        assertThat(active("single-broker")).contains("kafka", "kafka-topics").doesNotContain("kafka-1", "kafka-topics-3");
        assertThat(active("three-brokers")).contains("kafka-1", "kafka-2", "kafka-3", "kafka-topics-3")
                .doesNotContain("kafka", "kafka-topics");
    }

    @Test
    void theBrokersLogsAndTheDatabaseLiveOnVolumes() {
        List<String> brokers = kafkaNodes();
        assertThat(brokers).containsExactlyInAnyOrder("kafka", "kafka-1", "kafka-2", "kafka-3");
        for (String broker : brokers) {
            String logDirs = environment(broker).get("KAFKA_LOG_DIRS");
            assertThat(logDirs).as(broker + " KAFKA_LOG_DIRS").isNotBlank();
            for (String dir : logDirs.split(",")) {
                assertThat(onNamedVolume(broker, dir)).as(broker + " keeps " + dir + " on a named volume").isTrue();
            }
        }
        // one volume per broker: two nodes writing one log directory would corrupt it
        assertThat(brokers.stream().map(broker -> volumeAt(broker, environment(broker).get("KAFKA_LOG_DIRS"))).distinct())
                .hasSize(brokers.size());
        String pgdata = environment("postgres").get("PGDATA");
        assertThat(pgdata).isNotBlank();
        assertThat(onNamedVolume("postgres", pgdata)).as("PGDATA " + pgdata + " on a named volume").isTrue();
    }

    @Test
    void postgresRunsWithTheMemorySettingsOfTheLocalStack() throws IOException {
        List<String> command = list(services().get("postgres").get("command"));
        assertThat(command).first().isEqualTo("postgres");
        LocalPostgres.MEMORY.forEach((name, value) -> assertThat(command).as("the postgres service's command")
                .containsSequence("-c", name + "=" + value));
    }

    @Test
    void everyLongRunningContainerRestartsReportsItsHealthAndIsGivenLongerToStopThanItsShutdownTakes() throws IOException {
        Set<String> oneShots = new TreeSet<>();
        services().keySet().forEach(name -> dependencies(name).forEach((dependency, settings) -> {
            if ("service_completed_successfully".equals(settings.get("condition"))) {
                oneShots.add(dependency);
            }
        }));
        assertThat(oneShots).containsExactlyInAnyOrder("kafka-topics", "kafka-topics-3");
        services().forEach((name, service) -> {
            if (oneShots.contains(name)) {
                return;
            }
            assertThat(String.valueOf(service.get("restart"))).as(name + " restart").isIn("always", "unless-stopped");
            assertThat(list(map(service.get("healthcheck")).get("test"))).as(name + " healthcheck").isNotEmpty();
            // Docker's default is 10 s, then SIGKILL
            assertThat(duration(service.get("stop_grace_period"))).as(name + " stop_grace_period").isGreaterThan(Duration.ofSeconds(10));
        });
        for (Service service : Service.values()) {
            Duration shutdown = Duration
                    .parse("PT" + String.valueOf(setting(applicationYaml(service), "spring.lifecycle.timeout-per-shutdown-phase"))
                            .toUpperCase());
            // the shutdown phase, then the rest of the context and the JVM: at least ten seconds more
            assertThat(duration(services().get(service.module()).get("stop_grace_period"))).as(service.module())
                    .isGreaterThanOrEqualTo(shutdown.plusSeconds(10));
        }
    }

    @Test
    void everyJvmHasItsHeapPinned() throws IOException {
        for (Service service : Service.values()) {
            Map<String, Object> composed = services().get(service.module());
            String dockerfile = Files.readString(REPOSITORY.resolve(String.valueOf(composed.get("build"))).resolve("Dockerfile"));
            assertThat(dockerfile).as(service.module()).contains("ENV JAVA_OPTS=\"" + JvmOptions.DEFAULT_TEXT + "\"");
            String overridden = environment(service.module()).get("JAVA_OPTS");
            assertThat(overridden == null || overridden.contains("-Xmx")).as(service.module() + " JAVA_OPTS").isTrue();
        }
        for (String broker : kafkaNodes()) {
            assertThat(environment(broker).get("KAFKA_HEAP_OPTS")).as(broker).contains("-Xmx");
        }
    }

    @Test
    void nothingIsPublishedBeyondThisHostByDefault() {
        services().forEach((name, service) -> {
            for (Object port : list(service.get("ports"))) {
                assertThat(interpolate(String.valueOf(port))).as(name + " publishes " + port).startsWith("127.0.0.1:");
            }
        });
        // the database and the brokers cannot be moved off loopback by a variable
        for (String name : List.of("postgres", "kafka", "kafka-1", "kafka-2", "kafka-3")) {
            assertThat(list(services().get(name).get("ports"))).as(name).isNotEmpty()
                    .allMatch(port -> String.valueOf(port).startsWith("127.0.0.1:"));
        }
        // a broker's EXTERNAL listener is what it publishes, advertised at that loopback address
        for (String broker : kafkaNodes()) {
            Matcher external = Pattern.compile("EXTERNAL://127\\.0\\.0\\.1:(\\d+)")
                    .matcher(environment(broker).get("KAFKA_ADVERTISED_LISTENERS"));
            assertThat(external.find()).as(broker + " advertises EXTERNAL on 127.0.0.1").isTrue();
            assertThat(environment(broker).get("KAFKA_LISTENERS")).as(broker).contains("EXTERNAL://:" + external.group(1));
            assertThat(list(services().get(broker).get("ports"))).as(broker)
                    .contains("127.0.0.1:" + external.group(1) + ":" + external.group(1));
        }
    }

    @Test
    void eachServiceUsesADatabaseRoleOfItsOwnWithItsPasswordFromASecret() throws IOException {
        String roles = Files.readString(REPOSITORY.resolve("deploy/postgres/init/10-roles.sql"));
        String superuser = environment("postgres").get("POSTGRES_USER");
        assertThat(environment("postgres")).containsKey("POSTGRES_PASSWORD_FILE").doesNotContainKey("POSTGRES_PASSWORD");
        assertThat(list(services().get("postgres").get("volumes"))).contains("./deploy/postgres/init:/docker-entrypoint-initdb.d:ro");
        Set<String> users = new TreeSet<>();
        for (Service service : Service.values()) {
            Map<String, String> environment = environment(service.module());
            String user = environment.get("SPRING_DATASOURCE_USERNAME");
            assertThat(user).as(service.module()).isNotBlank().isNotEqualTo(superuser);
            users.add(user);
            assertThat(roles).as("10-roles.sql creates " + user).contains("'" + user + "'")
                    .contains("alter role " + user + " login nosuperuser");
            assertThat(environment).as(service.module()).doesNotContainKeys("SPRING_DATASOURCE_PASSWORD")
                    .containsEntry("SPRING_CONFIG_IMPORT", "configtree:/run/secrets/");
            assertThat(items(services().get(service.module()).get("secrets"))).as(service.module())
                    .anySatisfy(secret -> assertThat(map(secret)).containsEntry("target", "spring.datasource.password"));
            // the schema a service migrates is its role's; the ingress reads the worker's and migrates nothing (no Flyway)
            Map<String, Object> yaml = applicationYaml(service);
            if (!map(yaml.get("spring")).containsKey("flyway")) {
                assertThat(service).isEqualTo(Service.INGRESS);
                assertThat(REPOSITORY.resolve("scim-ingress/pom.xml")).content().doesNotContain("flyway");
            } else {
                String schema = String.valueOf(setting(yaml, "spring.flyway.schemas"));
                assertThat(roles).as(service.module() + " migrates " + schema)
                        .contains("create schema if not exists " + schema + " authorization " + user + ";");
            }
        }
        assertThat(users).as("one role per service").hasSize(Service.values().length);
        services().forEach(
                (name, service) -> environment(name).forEach((key, value) -> assertThat(key.contains("PASSWORD") && !key.endsWith("_FILE"))
                        .as(name + " sets " + key + " in the clear").isFalse()));
        // the ingress may record token use, add OAuth signing keys and keep the authorization code grant's authorizations,
        // nothing else: granted after each of the worker's migrations
        assertThat(environment("provisioning-worker").get("SPRING_FLYWAY_LOCATIONS")).contains("classpath:db/userstore")
                .contains("filesystem:/etc/scimflow/flyway");
        assertThat(REPOSITORY.resolve("deploy/postgres/worker-flyway/afterMigrate.sql")).content()
                .contains("grant update (last_used_at) on scim.tenant_tokens to scimflow_ingress;")
                .contains("grant insert on scim.oauth_signing_keys to scimflow_ingress;")
                .contains("revoke select on scim.oauth_signing_keys from scimflow_events;")
                .contains("grant insert, update, delete on scim.oauth_authorizations, scim.oauth_consents to scimflow_ingress;")
                .contains("revoke select on scim.oauth_authorizations, scim.oauth_consents from scimflow_events;");
    }

    @Test
    void eachServiceGetsTheSettingsItNeeds() throws IOException {
        for (Service service : Service.values()) {
            Map<String, String> environment = environment(service.module());
            String port = String.valueOf(setting(applicationYaml(service), "server.port")).replaceAll("\\$\\{SERVER_PORT:(\\d+)}", "$1");
            assertThat(environment).as(service.module()).containsEntry("SERVER_PORT", port)
                    .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/scimflow");
            // the worker serves only health and metrics: it stays on the compose network
            assertThat(list(services().get(service.module()).get("ports"))).as(service.module())
                    .allMatch(published -> published.endsWith(":" + port + ":" + port)).hasSize(service == Service.WORKER ? 0 : 1);
            assertThat(String.join(" ", list(map(services().get(service.module()).get("healthcheck")).get("test"))))
                    .as(service.module() + " healthcheck").contains("/dev/tcp/127.0.0.1/" + port).contains("/actuator/health/readiness");
            // whichever profile runs, the bootstrap list names one of its brokers
            Set<String> bootstrap = Set.of(environment.get("KAFKA_BOOTSTRAP_SERVERS").split(","));
            for (String profile : PROFILES) {
                assertThat(kafkaNodes().stream().filter(active(profile)::contains).flatMap(node -> namesOf(node).stream())
                        .map(host -> host + ":9092")).as(service.module() + " reaches Kafka with " + profile).anyMatch(bootstrap::contains);
            }
        }
        assertThat(environment("audit-service").get("SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256"))
                .startsWith("${SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256:?");
        assertThat(environment("events-service")).containsKey("SCIMFLOW_EVENTS_ISSUER");
        // forwarded headers are trusted only when the operator says a proxy overwrites them
        for (Service service : List.of(Service.INGRESS, Service.EVENTS)) {
            assertThat(setting(applicationYaml(service), "server.forward-headers-strategy")).isEqualTo("framework");
            assertThat(interpolate(environment(service.module()).get("SERVER_FORWARD_HEADERS_STRATEGY"))).as(service.module())
                    .isEqualTo("none");
        }
    }

    @Test
    void theTopicsOfEachProfileAreThoseOfTopicPlan() {
        Map<String, String> planned = new LinkedHashMap<>();
        TopicPlan.SCIMFLOW.forEach(plan -> planned.put(plan.name(), plan.partitions() + " partitions, retention.ms="
                + plan.configs().get("retention.ms")));
        assertThat(topics("kafka-topics", 1, null)).isEqualTo(planned);
        assertThat(topics("kafka-topics-3", 3, "2")).isEqualTo(planned);

        for (String node : List.of("kafka-1", "kafka-2", "kafka-3")) {
            Map<String, String> environment = environment(node);
            assertThat(environment).as(node).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                    .containsEntry("KAFKA_NODE_ID", node.substring("kafka-".length()))
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                    .containsEntry("CLUSTER_ID", environment("kafka-1").get("CLUSTER_ID"));
        }
        assertThat(environment("kafka")).containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9093")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false").containsKey("CLUSTER_ID");
    }

    /** Each topic the job creates, as "N partitions, retention.ms=R", after checking its replication settings. */
    private Map<String, String> topics(String job, int replicationFactor, String minInsyncReplicas) {
        String script = String.join("\n", list(services().get(job).get("command")));
        Matcher create = Pattern.compile("--create --if-not-exists --topic (\\S+) +--partitions (\\d+) --replication-factor (\\d+)"
                + " --config retention\\.ms=(-?\\d+)( --config min\\.insync\\.replicas=(\\d+))?").matcher(script);
        Map<String, String> created = new LinkedHashMap<>();
        while (create.find()) {
            assertThat(Integer.parseInt(create.group(3))).as(job + " " + create.group(1)).isEqualTo(replicationFactor);
            assertThat(create.group(6)).as(job + " " + create.group(1) + " min.insync.replicas").isEqualTo(minInsyncReplicas);
            created.put(create.group(1), create.group(2) + " partitions, retention.ms=" + create.group(4));
        }
        assertThat(script).as(job + " stops at the first failure").contains("set -e");
        return created;
    }

    private List<String> kafkaNodes() {
        return services().entrySet().stream().filter(service -> String.valueOf(service.getValue().get("image")).startsWith("apache/kafka"))
                .filter(service -> service.getValue().get("command") == null).map(Map.Entry::getKey).toList();
    }

    /** The host names a service answers to on the compose network: its own and its aliases. */
    private List<String> namesOf(String service) {
        List<String> names = new ArrayList<>(List.of(service));
        names.addAll(list(map(map(services().get(service).get("networks")).get("default")).get("aliases")));
        return names;
    }

    /** The services Compose runs with this profile: those without profiles, and those of the profile. */
    private Set<String> active(String profile) {
        Set<String> active = new TreeSet<>();
        services().forEach((name, service) -> {
            List<String> profiles = list(service.get("profiles"));
            if (profiles.isEmpty() || profiles.contains(profile)) {
                active.add(name);
            }
        });
        return active;
    }

    private boolean onNamedVolume(String service, String path) {
        return volumeAt(service, path) != null;
    }

    /** The named volume mounted at or above the path in the service's container, or null. */
    private String volumeAt(String service, String path) {
        for (Object volume : list(services().get(service).get("volumes"))) {
            String[] parts = String.valueOf(volume).split(":");
            boolean named = !parts[0].startsWith(".") && !parts[0].startsWith("/");
            if (named && (path.equals(parts[1]) || path.startsWith(parts[1] + "/"))) {
                return parts[0];
            }
        }
        return null;
    }

    private Map<String, Map<String, Object>> dependencies(String service) {
        Map<String, Map<String, Object>> dependencies = new LinkedHashMap<>();
        map(services().get(service).get("depends_on")).forEach((name, settings) -> dependencies.put(name, map(settings)));
        return dependencies;
    }

    private Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        map(services().get(service).get("environment")).forEach((key, value) -> environment.put(key, String.valueOf(value)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** A value as Compose reads it with no variables set: ${X:-default} is the default, ${X:?message} a placeholder. */
    private static String interpolate(String value) {
        Matcher variable = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            String replacement = variable.group(2) == null
                    ? ""
                    : variable.group(2).endsWith("-") ? variable.group(3) : "<" + variable.group(1) + ">";
            variable.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        variable.appendTail(result);
        return result.toString().replace("$$", "$");
    }

    private static Duration duration(Object value) {
        Matcher part = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(String.valueOf(value));
        Duration total = Duration.ZERO;
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        }
        return total;
    }

    private static Map<String, Object> applicationYaml(Service service) throws IOException {
        return load(REPOSITORY.resolve(service.module()).resolve("src/main/resources/application.yaml"));
    }

    /** A dotted setting of an application.yaml. */
    private static Object setting(Map<String, Object> yaml, String name) {
        Object value = yaml;
        for (String key : name.split("\\.")) {
            value = map(value).get(key);
        }
        assertThat(value).as(name).isNotNull();
        return value;
    }

    private static Map<String, Object> load(Path file) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    /** A list of scalars (a single scalar is a list of one), as strings. */
    private static List<String> list(Object value) {
        return items(value).stream().map(String::valueOf).toList();
    }

    private static List<?> items(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> items ? items : List.of(value);
    }
}
