package dev.scimflow.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import dev.scimflow.events.Topics;

/** Creates scimflow's topics on a broker that does not create topics by itself. */
final class TopicsCreator {

    private TopicsCreator() {
    }

    static void create(String bootstrapServers, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(Topics.CHANGES, Topics.EVENTS, Topics.OUTCOMES, Topics.CHANGES_DLT, Topics.REQUESTS).stream()
                    .map(name -> new NewTopic(name, partitions, (short) 1)).toList()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics", e.getCause());
        }
    }
}
