package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import dev.scimflow.events.Topics;

class TopicPlanTest {

    @Test
    void plansTheFiveContractTopicsWithSixPartitionsEach() {
        assertThat(TopicPlan.SCIMFLOW).extracting(TopicPlan::name)
                .containsExactly(Topics.CHANGES, Topics.EVENTS, Topics.OUTCOMES, Topics.CHANGES_DLT, Topics.REQUESTS);
        assertThat(TopicPlan.SCIMFLOW).extracting(TopicPlan::partitions).containsOnly(6);
    }

    @Test
    void keepsChangesAWeekEventsAndDeadLettersForeverOutcomesAnHourRequestsADay() {
        assertThat(retention(Topics.CHANGES)).isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(retention(Topics.EVENTS)).isEqualTo("-1");
        assertThat(retention(Topics.CHANGES_DLT)).isEqualTo("-1");
        assertThat(retention(Topics.OUTCOMES)).isEqualTo(Long.toString(Duration.ofHours(1).toMillis()));
        assertThat(retention(Topics.REQUESTS)).isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
    }

    @Test
    void becomesANewTopicWithItsConfiguration() {
        NewTopic topic = TopicPlan.SCIMFLOW.get(0).newTopic((short) 1);
        assertThat(topic.name()).isEqualTo(Topics.CHANGES);
        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.replicationFactor()).isEqualTo((short) 1);
        assertThat(topic.configs()).containsEntry("retention.ms", "604800000");
    }

    @Test
    void onThreeBrokersATopicHasThreeReplicasAndAWriteNeedsTwo() {
        NewTopic topic = TopicPlan.SCIMFLOW.get(0).newTopic(TopicPlan.replicationFactor(3));
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsEntry("min.insync.replicas", "2").containsEntry("retention.ms", "604800000");
        assertThat(TopicPlan.SCIMFLOW.get(0).newTopic(TopicPlan.replicationFactor(1)).configs())
                .as("one broker: the broker's default of one in-sync replica").doesNotContainKey("min.insync.replicas");
    }

    private static String retention(String topic) {
        return TopicPlan.SCIMFLOW.stream().filter(plan -> plan.name().equals(topic)).findFirst().orElseThrow()
                .configs().get("retention.ms");
    }
}
