package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    private final Map<String, String> properties = BrokerProperties.singleNode(Path.of("/data/kafka"), 19092, 19093);

    @Test
    void isOneKraftNodeThatIsBrokerAndControllerOnLoopback() {
        assertThat(properties)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("log.dirs", "/data/kafka");
    }

    @Test
    void internalTopicsHaveOneReplicaAndTopicsAreNeverCreatedImplicitly() {
        assertThat(properties)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }

    @Test
    void aNodeOfThreeIsAVoterOfAQuorumOfAllThreeAndReplicatesEveryTopicThriceWithTwoInSync() {
        var cluster = KafkaBroker.nodes(3, 19092, 19093);
        Map<String, String> node2 = BrokerProperties.node(Path.of("/data/kafka-2"), 2, cluster);
        assertThat(node2)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19094")
                .containsEntry("log.dirs", "/data/kafka-2")
                .containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("share.coordinator.state.topic.replication.factor", "3")
                .containsEntry("share.coordinator.state.topic.min.isr", "2")
                .containsEntry("auto.create.topics.enable", "false");
        assertThat(cluster).extracting(BrokerProperties.Node::bootstrap)
                .containsExactly("127.0.0.1:19092", "127.0.0.1:19094", "127.0.0.1:19096");
    }

    @Test
    void rendersAsAPropertiesFileThatReadsBackTheSame() throws Exception {
        Properties read = new Properties();
        read.load(new StringReader(BrokerProperties.render(properties)));
        assertThat(read).containsExactlyInAnyOrderEntriesOf(properties);
    }
}
