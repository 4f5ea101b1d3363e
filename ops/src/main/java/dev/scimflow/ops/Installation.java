package dev.scimflow.ops;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the parts of a scimflow installation are: {@code kafka/} (the broker's classpath) and {@code services/}
 * (the services' executable jars), next to {@code scimflow.jar}, or under {@code $SCIMFLOW_HOME} when set.
 */
public record Installation(Path home) {

    public static final String HOME_VARIABLE = "SCIMFLOW_HOME";

    /** The installation this code runs from. */
    public static Installation current() {
        String configured = System.getenv(HOME_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new Installation(Path.of(configured).toAbsolutePath());
        }
        try {
            // scimflow.jar (or target/classes when run from an IDE or a test) lives directly in the home directory
            Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new Installation(code.toAbsolutePath().getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the scimflow installation", e);
        }
    }

    /** The directory whose jars make the Kafka broker's classpath. */
    public Path kafkaLibs() {
        return existing(home.resolve("kafka"), "the Kafka broker's libraries");
    }

    /** A service's executable jar, e.g. {@code services/scim-ingress-exec.jar}. */
    public Path serviceJar(String service) {
        return existing(home.resolve("services").resolve(service + "-exec.jar"), "the " + service + " jar");
    }

    private Path existing(Path path, String what) {
        if (!Files.exists(path)) {
            throw new OperatorError(what + " is missing: " + path + " (build with ./scimflow, or set " + HOME_VARIABLE + ")");
        }
        return path;
    }
}
