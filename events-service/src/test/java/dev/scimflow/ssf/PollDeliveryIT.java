package dev.scimflow.ssf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import tools.jackson.databind.JsonNode;

/** Poll delivery (RFC 8936): every polled SET verified against the JWK set by the test's receiver. */
class PollDeliveryIT extends RunningEventsService {

    @Test
    void unacknowledgedSetsAreDeliveredAgainWithTheSameJtiUntilAcknowledged() {
        Tenant tenant = newTenant();
        TestReceiver verifier = new TestReceiver(jwksUri());
        String streamId = pollStream(tenant);
        List<ScimEvent> published = PushDeliveryIT.publishLifecycles(tenant.name(), 1);

        JsonNode first = poll(tenant, streamId, "{\"maxEvents\":2,\"returnImmediately\":true}");
        List<String> firstJtis = jtis(first);
        assertThat(firstJtis).hasSize(2);
        assertThat(first.get("moreAvailable").asBoolean()).isTrue();
        assertThat(first.get("sets").properties()).allSatisfy(set -> assertThat(verifier.verify(set.getValue().asString())).isNotNull());

        JsonNode again = poll(tenant, streamId, "{\"maxEvents\":2,\"returnImmediately\":true}");
        assertThat(jtis(again)).containsExactlyElementsOf(firstJtis);

        JsonNode rest = poll(tenant, streamId, "{\"maxEvents\":5,\"returnImmediately\":true,\"ack\":%s}".formatted(array(firstJtis)));
        assertThat(jtis(rest)).hasSize(1).doesNotContainAnyElementsOf(firstJtis);
        assertThat(rest.get("moreAvailable").asBoolean()).isFalse();
        List<String> txns = new ArrayList<>();
        for (JsonNode set : List.of(first, rest)) {
            set.get("sets").properties().forEach(entry -> txns.add(verifier.verify(entry.getValue().asString()).get("txn").asString()));
        }
        assertThat(txns).containsExactly(published.stream().map(event -> event.changeId().toString()).toArray(String[]::new));

        JsonNode empty = poll(tenant, streamId, "{\"returnImmediately\":true,\"ack\":%s}".formatted(array(jtis(rest))));
        assertThat(jtis(empty)).isEmpty();
        assertThat(verifier.invalid()).isZero();
    }

    @Test
    void aLongPollAnswersAsSoonAsAnEventArrivesAndRefusedSetsAreRecorded() {
        Tenant tenant = newTenant();
        String streamId = pollStream(tenant);
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> poll(tenant, streamId, "{\"maxEvents\":10}"));
        String userId = UUID.randomUUID().toString();
        publish(userEvent(tenant.name(), userId, EventType.CREATED, 1, null, user(userId, "long-poll", true, 1)));
        JsonNode answer = await().atMost(PATIENCE).until(waiting::join, result -> true);
        List<String> received = jtis(answer);
        assertThat(received).hasSize(1);

        poll(tenant, streamId, "{\"maxEvents\":0,\"setErrs\":{\"%s\":{\"err\":\"invalid_key\",\"description\":\"test\"}}}"
                .formatted(received.get(0)));
        assertThat(JDBC.sql("select error from events.delivery_failures where stream_id = ? and jti = ?")
                .params(streamId, received.get(0)).query(String.class).single()).isEqualTo("invalid_key");
        assertThat(jtis(poll(tenant, streamId, "{\"returnImmediately\":true}"))).isEmpty();
    }

    @Test
    void theOutcomeOfAnAsynchronousRequestIsPolledAsAnAsyncrespSetWithItsTxn() {
        Tenant tenant = newTenant();
        TestReceiver verifier = new TestReceiver(jwksUri());
        String streamId = json("POST", "/ssf/streams", tenant.token(),
                "{\"delivery\":{\"method\":\"urn:ietf:rfc:8936\"},\"events_requested\":[\"urn:ietf:params:scim:event:misc:asyncresp\"]}",
                201).get("stream_id").asString();
        String userId = UUID.randomUUID().toString();
        ChangeOutcome synchronous = new ChangeOutcome(UUID.randomUUID(), tenant.name(), userId, 201, 1, user(userId, "sync", true, 1),
                null, null, ChangeOperation.CREATE, ResourceType.USER, false);
        ChangeOutcome created = new ChangeOutcome(UUID.randomUUID(), tenant.name(), userId, 201, 1, user(userId, "async", true, 1),
                null, null, ChangeOperation.CREATE, ResourceType.USER, true);
        ChangeOutcome conflict = new ChangeOutcome(UUID.randomUUID(), tenant.name(), UUID.randomUUID().toString(), 409, 0, null,
                "uniqueness", "userName async is taken", ChangeOperation.CREATE, ResourceType.USER, true);
        publish(synchronous);
        publish(created);
        publishWithoutHeaders(conflict); // as written before outcomes had headers: decoded to be told

        List<JsonNode> sets = new ArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            JsonNode answer = poll(tenant, streamId, "{\"returnImmediately\":true,\"ack\":%s}".formatted(array(sets.stream()
                    .map(set -> set.get("jti").asString()).toList())));
            answer.get("sets").properties().forEach(entry -> sets.add(verifier.verify(entry.getValue().asString())));
            return sets.size() >= 2;
        });
        assertThat(sets).extracting(set -> set.get("txn").asString())
                .containsExactlyInAnyOrder(created.changeId().toString(), conflict.changeId().toString());
        JsonNode success = sets.stream().filter(set -> set.get("txn").asString().equals(created.changeId().toString())).findFirst()
                .orElseThrow()
                .get("events").get("urn:ietf:params:scim:event:misc:asyncresp");
        assertThat(success.get("method").asString()).isEqualTo("POST");
        assertThat(success.get("status").asString()).isEqualTo("201");
        assertThat(success.get("version").asString()).isEqualTo("W/\"1\"");
        JsonNode failure = sets.stream().filter(set -> set.get("txn").asString().equals(conflict.changeId().toString())).findFirst()
                .orElseThrow()
                .get("events").get("urn:ietf:params:scim:event:misc:asyncresp");
        assertThat(failure.get("status").asString()).isEqualTo("409");
        assertThat(failure.get("response").get("scimType").asString()).isEqualTo("uniqueness");
    }

    @Test
    void anotherTenantCannotPollTheStream() {
        Tenant tenant = newTenant();
        String streamId = pollStream(tenant);
        assertThat(call("POST", "/ssf/poll/" + streamId, newTenant().token(), "{\"returnImmediately\":true}").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/ssf/poll/" + streamId, null, "{\"returnImmediately\":true}").statusCode()).isEqualTo(401);
    }

    private String pollStream(Tenant tenant) {
        JsonNode stream = json("POST", "/ssf/streams", tenant.token(), """
                {"delivery":{"method":"urn:ietf:rfc:8936"},
                 "events_requested":["urn:ietf:params:scim:event:prov:create:notice","urn:ietf:params:scim:event:prov:patch:notice",
                                     "urn:ietf:params:scim:event:prov:deactivate"]}""", 201);
        assertThat(stream.get("delivery").get("endpoint_url").asString())
                .isEqualTo("http://events.test/ssf/poll/" + stream.get("stream_id").asString());
        return stream.get("stream_id").asString();
    }

    private JsonNode poll(Tenant tenant, String streamId, String body) {
        return json("POST", "/ssf/poll/" + streamId, tenant.token(), body, 200);
    }

    private static List<String> jtis(JsonNode answer) {
        return List.copyOf(answer.get("sets").propertyNames());
    }

    private static String array(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
