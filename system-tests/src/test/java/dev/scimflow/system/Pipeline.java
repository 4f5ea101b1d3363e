package dev.scimflow.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.UserStoreSchema;
import dev.scimflow.testing.TestInfrastructure;

/**
 * The whole pipeline for system tests: the three services' runnable jars, each started as its own JVM
 * process exactly as in production ({@link ServiceJvms}), against the shared test broker and a durable PostgreSQL
 * of its own ({@link DurablePostgres}). Started once per test JVM; every test gets a tenant of its own with
 * {@link #newTenant()}. The services export every span to {@link #traces}, as they would to a tracing backend.
 */
final class Pipeline {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Pipeline instance;

    final String scimBaseUrl;
    final String auditUrl;
    final String operatorToken = "op-" + java.util.UUID.randomUUID();
    final DataSource dataSource;
    final TraceReceiver traces = new TraceReceiver();
    private final DurablePostgres postgres;
    private final TenantTokens tokens;
    private final List<Process> processes = new ArrayList<>();

    /** A tenant with its bearer token. */
    record Tenant(String name, String token) {
    }

    static synchronized Pipeline get() {
        if (instance == null) {
            instance = new Pipeline();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "pipeline-stop"));
        }
        return instance;
    }

    private Pipeline() {
        postgres = new DurablePostgres("pipeline");
        TestInfrastructure.Database database = postgres.newDatabase();
        dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(),
                database.password());
        UserStoreSchema.migrate(dataSource);
        tokens = new TenantTokens(dataSource);
        Map<String, String> common = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", TestInfrastructure.kafkaBootstrapServers(),
                "SPRING_DATASOURCE_URL", database.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", database.username(),
                "SPRING_DATASOURCE_PASSWORD", database.password());
        ServiceJvms.prepare(common);
        int ingressPort = freePort();
        int auditPort = freePort();
        int workerPort = freePort();
        start("provisioning-worker", workerPort, common, Map.of());
        start("scim-ingress", ingressPort, common, Map.of());
        start("audit-service", auditPort, common, Map.of("SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256",
                HexFormat.of().formatHex(TenantTokens.hash(operatorToken))));
        scimBaseUrl = "http://127.0.0.1:" + ingressPort + "/scim/v2";
        auditUrl = "http://127.0.0.1:" + auditPort;
        for (int port : new int[]{workerPort, ingressPort, auditPort}) {
            awaitReady(port);
        }
    }

    Tenant newTenant() {
        return newTenant(RoleAttribute.EXTENSION);
    }

    /** A tenant whose responses carry Zulip's role where {@code roleAttribute} says. */
    Tenant newTenant(RoleAttribute roleAttribute) {
        String name = "t-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        tokens.createTenant(name, roleAttribute);
        return new Tenant(name, tokens.issue(name, "system-test").token());
    }

    private void start(String service, int port, Map<String, String> common, Map<String, String> extra) {
        File log = Path.of("target", service + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(ServiceJvms.command(service))
                .redirectErrorStream(true)
                .redirectOutput(log);
        builder.environment().putAll(common);
        builder.environment().putAll(extra);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", traces.endpoint());
        builder.environment().put("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0");
        builder.environment().put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "200ms");
        try {
            processes.add(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service, e);
        }
    }

    private void awaitReady(int port) {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        Awaitility.await("service on port " + port + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    processes.forEach(process -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("a service exited; see system-tests/target/*.log");
                        }
                    });
                    try {
                        return HTTP.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private void stop() {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        postgres.close();
        traces.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
