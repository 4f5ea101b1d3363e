package dev.scimflow.ops.recovery;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;

import dev.scimflow.ops.Json;
import dev.scimflow.ops.OperatorError;

/**
 * How a command reaches a Kafka cluster: its bootstrap servers, and the client settings of {@code --kafka-config} (a
 * file of standard Kafka client properties: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, ...) that go into
 * every client the command makes. The settings may hold secrets (a JAAS password, a keystore password), so this never
 * shows their values: {@link #toString()} and {@link #describe()} name them only.
 */
public final class KafkaConnection {

    private final String bootstrap;
    private final Map<String, String> clientSettings;

    private KafkaConnection(String bootstrap, Map<String, String> clientSettings) {
        this.bootstrap = bootstrap;
        this.clientSettings = Map.copyOf(clientSettings);
    }

    /** A plaintext connection with no settings of its own, as to the local stack's broker. */
    public static KafkaConnection plain(String bootstrap) {
        return new KafkaConnection(bootstrap, Map.of());
    }

    /**
     * The settings of the file (none when it is null), with {@code --kafka} as the bootstrap servers; without
     * {@code --kafka}, those of the file's {@code bootstrap.servers}; without either, those {@code fallback} gives
     * (a running local stack's).
     */
    public static KafkaConnection of(String kafka, Path configFile, java.util.function.Supplier<String> fallback) {
        Map<String, String> settings = configFile == null ? Map.of() : read(configFile);
        Map<String, String> client = new TreeMap<>(settings);
        String fromFile = client.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        String bootstrap = kafka != null ? kafka : fromFile != null ? fromFile : fallback.get();
        return new KafkaConnection(bootstrap, client);
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            // the exception's message names the file and the failure, never its content
            throw new OperatorError("cannot read --kafka-config " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name.trim(), properties.getProperty(name).trim()));
        return settings;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The names of the settings from the file (bootstrap.servers excepted), sorted. */
    public java.util.Set<String> settingNames() {
        return new java.util.TreeSet<>(clientSettings.keySet());
    }

    /**
     * A client's configuration: the file's settings, then the client's own (what the command's correctness rests on,
     * e.g. acks=all, read_committed), then the bootstrap servers.
     */
    public Map<String, Object> clientConfig(Map<String, Object> own) {
        Map<String, Object> config = new java.util.HashMap<>(clientSettings);
        config.putAll(own);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }

    /**
     * The file's settings for a Spring Boot service started by the command (its {@code spring.kafka.properties}), as the
     * value of {@code SPRING_APPLICATION_JSON}; null when there are none.
     */
    public String springApplicationJson() {
        return clientSettings.isEmpty() ? null : Json.line(Map.of("spring.kafka.properties", new TreeMap<>(clientSettings)));
    }

    /** For progress lines: the servers and the names of the settings, without their values. */
    public String describe() {
        return bootstrap + (clientSettings.isEmpty() ? "" : " with " + String.join(", ", settingNames()));
    }

    @Override
    public String toString() {
        return "KafkaConnection[" + describe() + "]";
    }
}
