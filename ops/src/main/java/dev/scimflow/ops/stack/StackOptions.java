package dev.scimflow.ops.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.TenantName;

/**
 * What {@code scimflow up} runs: where the data lives, the ports, the tenant (and optionally its fixed token), which
 * services (all of them, except in tests of the infrastructure alone), how many Kafka nodes (1, or 3: nodes 2 and 3
 * on the Kafka and controller ports + 2 and + 4), and whether a PostgreSQL replica serves the ingress's reads
 * ({@code postgresReplica}, null for none).
 */
public record StackOptions(Path dataDir, int ingressPort, int auditPort, int workerPort, int kafkaPort,
                           int kafkaControllerPort, int postgresPort, String tenant, String token,
                           Set<Service> services, Duration readyTimeout, int eventsPort, int kafkaBrokers,
                           PostgresReplica postgresReplica) {

    /** A streaming replica of the stack's PostgreSQL on this port, replaying each commit {@code applyDelay} late. */
    public record PostgresReplica(int port, Duration applyDelay) {

        public PostgresReplica {
            if (applyDelay.isNegative()) {
                throw new OperatorError("--postgres-replica-delay must not be negative");
            }
        }
    }

    public static final int MIN_TOKEN_LENGTH = 16;

    /** With one Kafka broker and no PostgreSQL replica. */
    public StackOptions(Path dataDir, int ingressPort, int auditPort, int workerPort, int kafkaPort, int kafkaControllerPort,
                        int postgresPort, String tenant, String token, Set<Service> services, Duration readyTimeout, int eventsPort) {
        this(dataDir, ingressPort, auditPort, workerPort, kafkaPort, kafkaControllerPort, postgresPort, tenant, token, services,
                readyTimeout, eventsPort, 1, null);
    }

    public StackOptions {
        if (kafkaBrokers != 1 && kafkaBrokers != 3) {
            throw new OperatorError("--kafka-brokers must be 1 or 3 (a KRaft quorum that survives the loss of one node), not "
                    + kafkaBrokers);
        }
        TenantName.check(tenant);
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            throw new OperatorError("--token must have at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (token != null && token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new OperatorError("--token must be printable ASCII without spaces (it is sent in an HTTP header)");
        }
        Map<String, Integer> all = ports(ingressPort, auditPort, workerPort, kafkaPort, kafkaControllerPort, postgresPort, eventsPort,
                kafkaBrokers);
        all.forEach((option, port) -> {
            if (port < 1 || port > 65535) {
                throw new OperatorError(option + " must be between 1 and 65535, not " + port);
            }
        });
        if (postgresReplica != null && (postgresReplica.port() < 1 || postgresReplica.port() > 65535)) {
            throw new OperatorError("--postgres-replica-port must be between 1 and 65535, not " + postgresReplica.port());
        }
        services = services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services);
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static StackOptions defaults(Path dataDir) {
        return new StackOptions(dataDir, 8080, 8081, 8082, 19092, 19093, 15432, "default", null,
                EnumSet.allOf(Service.class), Duration.ofMinutes(3), 8083, 1, null);
    }

    public StackOptions withServices(Set<Service> only) {
        return new StackOptions(dataDir, ingressPort, auditPort, workerPort, kafkaPort, kafkaControllerPort, postgresPort,
                tenant, token, only, readyTimeout, eventsPort, kafkaBrokers, postgresReplica);
    }

    public StackOptions withPostgresReplica(PostgresReplica replica) {
        return new StackOptions(dataDir, ingressPort, auditPort, workerPort, kafkaPort, kafkaControllerPort, postgresPort,
                tenant, token, services, readyTimeout, eventsPort, kafkaBrokers, replica);
    }

    public StackOptions withKafkaBrokers(int brokers) {
        return new StackOptions(dataDir, ingressPort, auditPort, workerPort, kafkaPort, kafkaControllerPort, postgresPort,
                tenant, token, services, readyTimeout, eventsPort, brokers, postgresReplica);
    }

    /** The ports in use, by the option that sets each ({@code --kafka-port+2} for node 2's, and so on). */
    public Map<String, Integer> ports() {
        Map<String, Integer> all = ports(ingressPort, auditPort, workerPort, kafkaPort, kafkaControllerPort, postgresPort, eventsPort,
                kafkaBrokers);
        if (!services.contains(Service.INGRESS)) {
            all.remove("--ingress-port");
        }
        if (!services.contains(Service.AUDIT)) {
            all.remove("--audit-port");
        }
        if (!services.contains(Service.WORKER)) {
            all.remove("--worker-port");
        }
        if (!services.contains(Service.EVENTS)) {
            all.remove("--events-port");
        }
        if (postgresReplica != null) {
            all.put("--postgres-replica-port", postgresReplica.port());
        }
        return all;
    }

    public int port(Service service) {
        return switch (service) {
            case INGRESS -> ingressPort;
            case AUDIT -> auditPort;
            case WORKER -> workerPort;
            case EVENTS -> eventsPort;
        };
    }

    private static Map<String, Integer> ports(int ingress, int audit, int worker, int kafka, int controller, int postgres,
                                              int events, int kafkaBrokers) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--ingress-port", ingress);
        ports.put("--audit-port", audit);
        ports.put("--worker-port", worker);
        ports.put("--kafka-port", kafka);
        ports.put("--kafka-controller-port", controller);
        ports.put("--postgres-port", postgres);
        ports.put("--events-port", events);
        for (int node = 2; node <= kafkaBrokers; node++) {
            ports.put("--kafka-port+" + 2 * (node - 1), kafka + 2 * (node - 1));
            ports.put("--kafka-controller-port+" + 2 * (node - 1), controller + 2 * (node - 1));
        }
        return ports;
    }
}
