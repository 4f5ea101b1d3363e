package dev.scimflow.ssf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.SecurityEventUris;
import tools.jackson.databind.JsonNode;

/** Push delivery (RFC 8935) to a real receiver that verifies every signature against the service's JWK set. */
class PushDeliveryIT extends RunningEventsService {

    private static final String FULL_AND_DEACTIVATE = """
            ["urn:ietf:params:scim:event:prov:create:full","urn:ietf:params:scim:event:prov:patch:full",
             "urn:ietf:params:scim:event:prov:deactivate"]""";

    @Test
    void signedSetsArriveInOrderPerResourceWithSubjectTxnAndTheEventsAskedFor() {
        Tenant tenant = newTenant();
        try (TestReceiver receiver = new TestReceiver(jwksUri()).start()) {
            String streamId = pushStream(tenant, receiver, FULL_AND_DEACTIVATE);
            List<ScimEvent> published = publishLifecycles(tenant.name(), 6);

            await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= published.size());
            assertThat(receiver.invalid()).isZero();
            assertThat(receiver.authorizations()).allMatch("Bearer receiver-secret"::equals);
            assertInOrderPerResource(receiver.accepted());
            ScimEvent deactivation = published.get(2);
            JsonNode set = receiver.accepted().stream()
                    .filter(received -> received.claims().get("txn").asString().equals(deactivation.changeId().toString()))
                    .findFirst().orElseThrow().claims();
            assertThat(set.get("iss").asString()).isEqualTo("http://events.test");
            assertThat(set.get("aud").asString()).isEqualTo("http://events.test/ssf/streams/" + streamId);
            assertThat(set.get("toe").asLong()).isEqualTo(deactivation.appliedAt().getEpochSecond());
            assertThat(set.get("sub_id").get("format").asString()).isEqualTo("scim");
            assertThat(set.get("sub_id").get("uri").asString()).isEqualTo("/Users/" + deactivation.resourceId());
            assertThat(set.get("sub_id").get("externalId").asString()).startsWith("ext-");
            assertThat(set.get("events").propertyNames()).containsExactly(SecurityEventUris.PATCH_FULL, SecurityEventUris.DEACTIVATE);
            assertThat(set.get("events").get(SecurityEventUris.PATCH_FULL).get("data").get("active").asBoolean()).isFalse();
            assertThat(set.get("events").get(SecurityEventUris.PATCH_FULL).get("version").asString()).isEqualTo("W/\"3\"");
        }
    }

    @Test
    void aReceiverThatIsDownGetsEverythingInOrderWhenItReturnsWithTheJtisItWasOffered() {
        Tenant tenant = newTenant();
        try (TestReceiver receiver = new TestReceiver(jwksUri()).start()) {
            pushStream(tenant, receiver, FULL_AND_DEACTIVATE);
            receiver.down(true);
            List<ScimEvent> published = publishLifecycles(tenant.name(), 4);
            await().atMost(PATIENCE).until(() -> receiver.attempted().size() >= 3);
            assertThat(receiver.accepted()).isEmpty();

            receiver.down(false);
            await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= published.size());
            List<String> delivered = receiver.accepted().stream().map(TestReceiver.ReceivedSet::jti).toList();
            assertThat(delivered).doesNotHaveDuplicates().containsAll(new LinkedHashSet<>(receiver.attempted()));
            assertInOrderPerResource(receiver.accepted());
        }
    }

    @Test
    void aSetTheReceiverRefusesIsRecordedForOperatorsAndTheStreamGoesOn() {
        Tenant tenant = newTenant();
        try (TestReceiver receiver = new TestReceiver(jwksUri()).start()) {
            String streamId = pushStream(tenant, receiver, FULL_AND_DEACTIVATE);
            String refusedUser = UUID.randomUUID().toString();
            receiver.refuseWhen(claims -> claims.get("sub_id").get("id").asString().equals(refusedUser) ? 400 : null);
            publish(userEvent(tenant.name(), refusedUser, EventType.CREATED, 1, null, user(refusedUser, "refused", true, 1)));
            String acceptedUser = UUID.randomUUID().toString();
            publish(userEvent(tenant.name(), acceptedUser, EventType.CREATED, 1, null, user(acceptedUser, "accepted", true, 1)));

            await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 1);
            assertThat(receiver.accepted().get(0).claims().get("sub_id").get("id").asString()).isEqualTo(acceptedUser);
            Map<String, Object> failure = JDBC
                    .sql("select jti, http_status, error, set_jwt from events.delivery_failures where stream_id = ?")
                    .param(streamId).query().singleRow();
            assertThat(failure.get("http_status")).isEqualTo(400);
            assertThat(failure.get("error")).isEqualTo("invalid_request");
            assertThat(receiver.verify((String) failure.get("set_jwt")).get("sub_id").get("id").asString()).isEqualTo(refusedUser);
        }
    }

    @Test
    void aSetTheReceiverCannotTakeYetHoldsBackOnlyTheSetsOfItsOwnResource() {
        Tenant tenant = newTenant();
        try (TestReceiver receiver = new TestReceiver(jwksUri()).start()) {
            pushStream(tenant, receiver, FULL_AND_DEACTIVATE);
            String stuckUser = UUID.randomUUID().toString();
            AtomicBoolean stuck = new AtomicBoolean(true);
            receiver.refuseWhen(claims -> stuck.get() && claims.get("sub_id").get("id").asString().equals(stuckUser) ? 503 : null);
            publish(userEvent(tenant.name(), stuckUser, EventType.CREATED, 1, null, user(stuckUser, "stuck", true, 1)));
            await().atMost(PATIENCE).until(() -> !receiver.attempted().isEmpty());

            publish(userEvent(tenant.name(), stuckUser, EventType.PATCHED, 2, user(stuckUser, "stuck", true, 1),
                    user(stuckUser, "stuck", false, 2)));
            List<ScimEvent> others = publishLifecycles(tenant.name(), 3);
            await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= others.size());
            assertThat(receiver.accepted()).extracting(set -> set.claims().get("sub_id").get("id").asString())
                    .doesNotContain(stuckUser);

            stuck.set(false);
            await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= others.size() + 2);
            assertThat(receiver.accepted()).filteredOn(set -> set.claims().get("sub_id").get("id").asString().equals(stuckUser))
                    .hasSize(2);
            assertInOrderPerResource(receiver.accepted());
        }
    }

    @Test
    void onlyTheTenantsOwnRequestedEventsAreDeliveredAndAPausedStreamHoldsThemUntilResumed() {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        try (TestReceiver receiver = new TestReceiver(jwksUri()).start()) {
            String streamId = pushStream(tenant, receiver, "[\"urn:ietf:params:scim:event:prov:deactivate\"]");
            awaitDelivering(streamId, receiver, tenant);
            json("POST", "/ssf/status", tenant.token(), "{\"stream_id\":\"%s\",\"status\":\"paused\"}".formatted(streamId), 200);
            publishLifecycles(other.name(), 1);
            List<ScimEvent> own = publishLifecycles(tenant.name(), 2);

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.accepted().size() == 1);
            json("POST", "/ssf/status", tenant.token(), "{\"stream_id\":\"%s\",\"status\":\"enabled\"}".formatted(streamId), 200);
            await().atMost(PATIENCE).until(() -> receiver.accepted().size() >= 3);
            List<TestReceiver.ReceivedSet> deactivations = receiver.accepted().subList(1, receiver.accepted().size());
            assertThat(deactivations).extracting(set -> set.claims().get("txn").asString())
                    .containsExactlyInAnyOrder(own.get(2).changeId().toString(), own.get(5).changeId().toString());
            assertThat(deactivations).allSatisfy(
                    set -> assertThat(set.claims().get("events").propertyNames()).containsExactly(SecurityEventUris.DEACTIVATE));
        }
    }

    @Test
    void afterAKeyRotationSetsAreSignedWithTheNewKeyWhileTheOldOneStaysPublished() {
        Tenant tenant = newTenant();
        try (TestReceiver receiver = new TestReceiver(jwksUri()).start()) {
            pushStream(tenant, receiver, FULL_AND_DEACTIVATE);
            publishLifecycles(tenant.name(), 1);
            await().atMost(PATIENCE).until(() -> receiver.accepted().size() == 3);
            String oldKid = kid(receiver.accepted().get(0).jwt());

            // what `scimflow events rotate-key --activate-in 0` does
            var key = dev.scimflow.ssf.token.SigningKeys.newKey();
            JDBC.sql("insert into events.signing_keys (kid, jwk, activates_at) values (?, ?, now())")
                    .params(key.getKeyID(), key.toJSONString()).update();
            JDBC.sql("update events.signing_keys set retires_at = now() + interval '1 hour' where kid <> ?").param(key.getKeyID()).update();
            await().atMost(PATIENCE).until(() -> json("GET", "/ssf/jwks", null, null, 200).get("keys").size() >= 2);
            await().atMost(PATIENCE).until(() -> {
                publishLifecycles(tenant.name(), 1);
                return receiver.accepted().stream().anyMatch(set -> kid(set.jwt()).equals(key.getKeyID()));
            });
            assertThat(receiver.invalid()).isZero();
            assertThat(json("GET", "/ssf/jwks", null, null, 200).get("keys").valueStream().map(jwk -> jwk.get("kid").asString()))
                    .contains(oldKid, key.getKeyID());
        }
    }

    private static String kid(String jwt) {
        try {
            return com.nimbusds.jose.JWSObject.parse(jwt).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** For each of {@code users} users: created, renamed, deactivated (versions 1, 2, 3), interleaved across users. */
    static List<ScimEvent> publishLifecycles(String tenant, int users) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        List<ScimEvent> published = new ArrayList<>();
        for (int version = 1; version <= 3; version++) {
            for (String id : ids) {
                ScimEvent event = switch (version) {
                    case 1 -> userEvent(tenant, id, EventType.CREATED, 1, null, user(id, "u-" + id, true, 1));
                    case 2 -> userEvent(tenant, id, EventType.PATCHED, 2, user(id, "u-" + id, true, 1), user(id, "v-" + id, true, 2));
                    default -> userEvent(tenant, id, EventType.PATCHED, 3, user(id, "v-" + id, true, 2), user(id, "v-" + id, false, 3));
                };
                publish(event);
                published.add(event);
            }
        }
        // published.get(2) is not the first user's deactivation when users > 1: return in per-user order instead
        List<ScimEvent> byUser = new ArrayList<>();
        for (String id : ids) {
            published.stream().filter(event -> event.resourceId().equals(id)).forEach(byUser::add);
        }
        return byUser;
    }

    /** Per resource, after dropping redeliveries (same jti), versions strictly increase. */
    static void assertInOrderPerResource(List<TestReceiver.ReceivedSet> sets) {
        Map<String, Long> last = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TestReceiver.ReceivedSet set : sets) {
            if (!seen.add(set.jti())) {
                continue;
            }
            JsonNode events = set.claims().get("events");
            JsonNode payload = events.get(events.propertyNames().iterator().next());
            if (!payload.has("version")) {
                continue;
            }
            long version = Long.parseLong(payload.get("version").asString().replaceAll("[^0-9]", ""));
            String resource = set.claims().get("sub_id").get("uri").asString();
            assertThat(version).as("version of %s after %s", resource, last.get(resource)).isGreaterThan(last.getOrDefault(resource, 0L));
            last.put(resource, version);
        }
    }
}
