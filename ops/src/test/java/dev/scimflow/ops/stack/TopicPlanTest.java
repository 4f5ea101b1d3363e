package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    void dockerComposeCreatesTheSameTopicsWithTheSamePartitionsAndRetention() throws Exception {
        String compose = Files.readString(Path.of("..", "docker-compose.yml"));
        Matcher create = Pattern.compile("--create --if-not-exists --topic (\\S+) +--partitions (\\d+) --replication-factor \\d+"
                + " --config retention\\.ms=(-?\\d+)").matcher(compose);
        Map<String, String> composed = new LinkedHashMap<>();
        while (create.find()) {
            composed.put(create.group(1), create.group(2) + " partitions, retention.ms=" + create.group(3));
        }
        Map<String, String> planned = new LinkedHashMap<>();
        TopicPlan.SCIMFLOW.forEach(plan -> planned.put(plan.name(), plan.partitions() + " partitions, retention.ms="
                + plan.configs().get("retention.ms")));
        assertThat(composed).isEqualTo(planned);
    }

    private static String retention(String topic) {
        return TopicPlan.SCIMFLOW.stream().filter(plan -> plan.name().equals(topic)).findFirst().orElseThrow()
                .configs().get("retention.ms");
    }
}
