package dev.scimflow.ops.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.ScimflowCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** --kafka-config: a deployment's Kafka client settings (SASL_SSL, TLS) reach every client a command makes, never the output. */
class KafkaConnectionTest {

    private static final String SECRET = "s3cr3t-do-not-print";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"scimflow-ops\""
            + " password=\"" + SECRET + "\";";

    @TempDir
    Path temp;

    private Path config(String... lines) throws Exception {
        Path file = temp.resolve("kafka.properties");
        Files.write(file, List.of(lines));
        return file;
    }

    @Test
    void theFilesSettingsGoIntoTheAdminTheReaderAndTheProducerButTheCommandsOwnSettingsStay() throws Exception {
        KafkaConnection kafka = KafkaConnection.of("broker-1:9093", config("security.protocol=SASL_SSL", "sasl.mechanism=PLAIN",
                "sasl.jaas.config=" + JAAS, "ssl.truststore.location=/etc/kafka/truststore.p12",
                "bootstrap.servers=elsewhere:9092", "acks=1", "enable.auto.commit=true", "isolation.level=read_uncommitted"), () -> null);

        // parsed by Kafka's own configuration classes, as the clients parse them
        AdminClientConfig admin = new AdminClientConfig(KafkaClients.adminConfig(kafka));
        ConsumerConfig reader = new ConsumerConfig(withDeserializers(KafkaClients.readerConfig(kafka)));
        ProducerConfig producer = new ProducerConfig(withSerializers(KafkaClients.producerConfig(kafka)));
        for (var client : List.of(admin, reader, producer)) {
            assertThat(client.getList("bootstrap.servers")).containsExactly("broker-1:9093");
            assertThat(client.getString("security.protocol")).isEqualTo("SASL_SSL");
            assertThat(client.getString("sasl.mechanism")).isEqualTo("PLAIN");
            assertThat(client.getPassword("sasl.jaas.config").value()).isEqualTo(JAAS);
            assertThat(client.getString("ssl.truststore.location")).isEqualTo("/etc/kafka/truststore.p12");
        }
        assertThat(producer.getString("acks")).isEqualTo("-1");
        assertThat(producer.getBoolean("enable.idempotence")).isTrue();
        assertThat(reader.getBoolean("enable.auto.commit")).isFalse();
        assertThat(reader.getString("isolation.level")).isEqualTo("read_committed");
    }

    @Test
    void aRealClientLogsInWithTheFilesSaslSettings() throws Exception {
        KafkaConnection good = KafkaConnection.of("127.0.0.1:1", config("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN",
                "sasl.jaas.config=" + JAAS), () -> null);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.reader(good)) {
            assertThat(consumer.metrics()).isNotEmpty();
        }
        // the settings really are the client's: a broken JAAS entry stops it being made at all
        KafkaConnection broken = KafkaConnection.of("127.0.0.1:1", config("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN",
                "sasl.jaas.config=not a login module"), () -> null);
        assertThatThrownBy(() -> new KafkaConsumer<>(KafkaClients.readerConfig(broken), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).close()).isInstanceOf(KafkaException.class);
    }

    @Test
    void theBootstrapServersComeFromKafkaThenFromTheFileThenFromTheLocalStack() throws Exception {
        Path file = config("bootstrap.servers=from-file:9092", "security.protocol=SSL");
        assertThat(KafkaConnection.of("flag:9092", file, () -> "stack:19092").bootstrap()).isEqualTo("flag:9092");
        assertThat(KafkaConnection.of(null, file, () -> "stack:19092").bootstrap()).isEqualTo("from-file:9092");
        assertThat(KafkaConnection.of(null, null, () -> "stack:19092").bootstrap()).isEqualTo("stack:19092");
        assertThat(KafkaConnection.of(null, file, () -> "stack:19092").settingNames()).containsExactly("security.protocol");
    }

    @Test
    void whatIsShownNamesTheSettingsButNeverTheirValues() throws Exception {
        KafkaConnection kafka = KafkaConnection.of("broker:9093", config("sasl.jaas.config=" + JAAS,
                "ssl.truststore.password=" + SECRET, "security.protocol=SASL_SSL"), () -> null);
        assertThat(kafka.describe()).isEqualTo("broker:9093 with sasl.jaas.config, security.protocol, ssl.truststore.password");
        assertThat(kafka.toString()).doesNotContain(SECRET).doesNotContain("SASL_SSL").contains("sasl.jaas.config");
        // what a service started by the command (rebuild audit) gets, through its environment
        assertThat(kafka.springApplicationJson()).contains("\"spring.kafka.properties\"")
                .contains("\"ssl.truststore.password\":\"" + SECRET + "\"");
        assertThat(KafkaConnection.plain("broker:9092").springApplicationJson()).isNull();

        assertThatThrownBy(() -> KafkaConnection.of("broker:9093", temp.resolve("missing.properties"), () -> null))
                .isInstanceOf(OperatorError.class).hasMessageStartingWith("cannot read --kafka-config ")
                .hasMessageContaining("missing.properties");
    }

    @Test
    void everyCommandThatTakesAKafkaAddressTakesKafkaConfig() {
        List<String> withKafka = new ArrayList<>();
        collect(ScimflowCommand.commandLine(), withKafka);
        assertThat(withKafka).contains("scimflow replay changes", "scimflow rebuild store", "scimflow rebuild audit",
                "scimflow dlt list", "scimflow dlt redrive", "scimflow events streams");
        for (String command : withKafka) {
            assertThat(command(ScimflowCommand.commandLine(), command).findOption("--kafka-config")).as(command).isNotNull();
        }
    }

    @Test
    void anUnreadableKafkaConfigIsAnOperatorErrorBeforeAnythingIsContacted() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ScimflowCommand.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
        int exit = commandLine.execute("dlt", "list", "--kafka", "127.0.0.1:1", "--kafka-config",
                temp.resolve("nope.properties").toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("scimflow: cannot read --kafka-config ").doesNotContain("Exception:");
    }

    private static void collect(CommandLine commandLine, List<String> withKafka) {
        CommandSpec spec = commandLine.getCommandSpec();
        if (spec.findOption("--kafka") != null) {
            withKafka.add(spec.qualifiedName());
        }
        commandLine.getSubcommands().values().forEach(sub -> collect(sub, withKafka));
    }

    private static CommandSpec command(CommandLine root, String qualifiedName) {
        CommandLine current = root;
        for (String name : qualifiedName.split(" ")) {
            if (!name.equals(root.getCommandName())) {
                current = current.getSubcommands().get(name);
            }
        }
        return current.getCommandSpec();
    }

    private static Map<String, Object> withDeserializers(Map<String, Object> config) {
        Map<String, Object> all = new java.util.HashMap<>(config);
        all.put("key.deserializer", ByteArrayDeserializer.class);
        all.put("value.deserializer", ByteArrayDeserializer.class);
        return all;
    }

    private static Map<String, Object> withSerializers(Map<String, Object> config) {
        Map<String, Object> all = new java.util.HashMap<>(config);
        all.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        all.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return all;
    }
}
