package dev.scimflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import dev.scimflow.scim.ScimGroups;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.testing.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * Group changes through the real worker, broker and PostgreSQL: membership in every form IdPs send it, facts
 * that carry only the changed member ids, users leaving their groups when deleted, and changes that cost
 * O(changed members) on a large group. Changes are built as the ingress builds them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GroupChangeApplicationIT extends WorkerIntegrationTest {

    @Autowired
    ChangeListener listener;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.registerNewDatabaseAndBroker(registry);
    }

    @Test
    void createWithMembersIsAnswered201WithTheMembersAndPublishesCreatedWithTheirIds() {
        String ann = user("ann", "Ann A");
        String bob = user("bob", null);
        String id = UUID.randomUUID().toString();

        ChangeOutcome outcome = apply(group(id, ChangeOperation.CREATE, """
                {"displayName":"Engineering","externalId":"ext-1","members":[{"value":"%s"},{"value":"%s"}]}""".formatted(ann, bob)));

        assertThat(outcome.status()).isEqualTo(201);
        assertThat(outcome.resource().get("displayName").asString()).isEqualTo("Engineering");
        assertThat(outcome.resource().at("/meta/resourceType").asString()).isEqualTo("Group");
        assertThat(outcome.resource().get("members").valueStream().map(m -> m.get("value").asString()))
                .containsExactlyInAnyOrder(ann, bob);
        assertThat(outcome.resource().get("members").valueStream().map(m -> m.get("display").asString()))
                .containsExactlyInAnyOrder("Ann A", "bob");
        ScimEvent created = awaitEvents(id, 1).get(0);
        assertThat(created.type()).isEqualTo(EventType.CREATED);
        assertThat(created.resourceType()).isEqualTo(ResourceType.GROUP);
        assertThat(created.members()).containsExactly(ann, bob);
        assertThat(created.after().has("members")).isFalse();
        assertThat(members(id)).containsExactlyInAnyOrder(ann, bob);
    }

    @Test
    void addingMembersIsIdempotentAndPublishesOnlyTheUsersThatJoined() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        String cat = user("cat", null);
        String id = createGroup("Sales", ann);

        ChangeOutcome added = apply(patch(id, addMembers(ann, bob, cat)));
        ChangeOutcome again = apply(patch(id, addMembers(bob)));

        assertThat(added.status()).isEqualTo(200);
        assertThat(added.version()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.version()).as("nothing changed, no new version").isEqualTo(2);
        assertThat(members(id)).containsExactlyInAnyOrder(ann, bob, cat);
        List<ScimEvent> facts = awaitEvents(id, 2);
        assertThat(facts.get(1).type()).isEqualTo(EventType.MEMBERS_ADDED);
        assertThat(facts.get(1).members()).containsExactlyInAnyOrder(bob, cat);
        assertThat(facts.get(1).version()).isEqualTo(2);
        assertThat(eventsOf(id)).hasSize(2);
    }

    @Test
    void membersAreRemovedByValueFilterAndByValueListWithOrWithoutTheEntraFlag() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        String cat = user("cat", null);
        String id = createGroup("Support", ann, bob, cat);

        ChangeOutcome okta = apply(patch(id, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + ann + "\\\"]\"}]"));
        ChangeOutcome entra = apply(patch(id, """
                [{"name":"removeMember","op":"Remove","path":"members","value":[{"$ref":null,"value":"%s"},{"value":"%s"}]}]"""
                .formatted(bob, UUID.randomUUID())));

        assertThat(okta.status()).isEqualTo(200);
        assertThat(entra.status()).isEqualTo(200);
        assertThat(members(id)).containsExactly(cat);
        List<ScimEvent> facts = awaitEvents(id, 3);
        assertThat(facts.get(1).type()).isEqualTo(EventType.MEMBERS_REMOVED);
        assertThat(facts.get(1).members()).containsExactly(ann);
        assertThat(facts.get(2).members()).as("only ids that were members").containsExactly(bob);
        assertThat(groupRow(id).get("member_count")).isEqualTo(1L);
    }

    @Test
    void replacingTheWholeListPublishesTheDiffOnly() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        String cat = user("cat", null);
        String dan = user("dan", null);
        String id = createGroup("Ops", ann, bob, cat);

        ChangeOutcome replaced = apply(patch(id, "[{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"" + bob
                + "\"},{\"value\":\"" + dan + "\"}]}]"));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(members(id)).containsExactlyInAnyOrder(bob, dan);
        List<ScimEvent> facts = awaitEvents(id, 3);
        assertThat(facts.get(1).type()).isEqualTo(EventType.MEMBERS_REMOVED);
        assertThat(facts.get(1).members()).containsExactlyInAnyOrder(ann, cat);
        assertThat(facts.get(2).type()).isEqualTo(EventType.MEMBERS_ADDED);
        assertThat(facts.get(2).members()).containsExactly(dan);
        assertThat(groupRow(id).get("member_count")).isEqualTo(2L);
    }

    @Test
    void putReplacesAttributesAndMembersAndARenameIsARenamedFactWithoutMembers() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        String id = createGroup("Design", ann);

        ChangeOutcome replaced = apply(group(id, ChangeOperation.REPLACE,
                "{\"displayName\":\"Product Design\",\"members\":[{\"value\":\"" + bob + "\"}]}"));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.resource().get("displayName").asString()).isEqualTo("Product Design");
        assertThat(members(id)).containsExactly(bob);
        List<ScimEvent> facts = awaitEvents(id, 4);
        assertThat(facts.get(1).type()).isEqualTo(EventType.RENAMED);
        assertThat(facts.get(1).before().get("displayName").asString()).isEqualTo("Design");
        assertThat(facts.get(1).after().get("displayName").asString()).isEqualTo("Product Design");
        assertThat(facts.get(1).after().has("members")).isFalse();
        assertThat(facts.subList(2, 4)).extracting(ScimEvent::type).containsExactly(EventType.MEMBERS_REMOVED, EventType.MEMBERS_ADDED);
        assertThat(facts).extracting(ScimEvent::version).containsExactly(1L, 2L, 2L, 2L);
        assertThat(facts).extracting(ScimEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void anUnknownOrOtherTenantsMemberIsInvalidValueAndNothingIsApplied() {
        String ann = user("ann", null);
        String id = createGroup("Finance", ann);
        String theirs = userOf(otherTenant(), "eve");

        ChangeOutcome unknown = apply(patch(id, addMembers(UUID.randomUUID().toString())));
        ChangeOutcome otherTenant = apply(patch(id, "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Money\"},"
                + "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + theirs + "\"}]}]"));
        ChangeOutcome create = apply(group(UUID.randomUUID().toString(), ChangeOperation.CREATE,
                "{\"displayName\":\"Other\",\"members\":[{\"value\":\"" + theirs + "\"}]}"));

        for (ChangeOutcome outcome : List.of(unknown, otherTenant, create)) {
            assertThat(outcome.status()).isEqualTo(400);
            assertThat(outcome.scimType()).isEqualTo("invalidValue");
        }
        assertThat(members(id)).containsExactly(ann);
        assertThat(groupRow(id).get("display_name")).isEqualTo("Finance");
        assertThat(groupRow(id).get("version")).isEqualTo(1L);
    }

    @Test
    void aSecondGroupWithTheSameDisplayNameInAnyCaseIsAConflict() {
        createGroup("Marketing");
        String other = createGroup("Legal");

        ChangeOutcome create = apply(group(UUID.randomUUID().toString(), ChangeOperation.CREATE, "{\"displayName\":\"MARKETING\"}"));
        ChangeOutcome rename = apply(
                patch(other, "[{\"op\":\"replace\",\"value\":{\"id\":\"" + other + "\",\"displayName\":\"marketing\"}}]"));

        assertThat(create.status()).isEqualTo(409);
        assertThat(create.scimType()).isEqualTo("uniqueness");
        assertThat(rename.status()).isEqualTo(409);
    }

    @Test
    void aStaleIfMatchIsAPreconditionFailureAndAnUnknownGroupIsNotFound() {
        String id = createGroup("HR");
        ScimChange stale = new ScimChange(UUID.randomUUID(), tenant, ResourceType.GROUP, id, ChangeOperation.DELETE, null,
                "W/\"9\"", new Actor("tok_test", "test"), "req", now(), ScimChange.SCHEMA_VERSION);

        assertThat(apply(stale).status()).isEqualTo(412);
        assertThat(apply(patch(UUID.randomUUID().toString(), addMembers(user("x", null)))).status()).isEqualTo(404);
    }

    @Test
    void deletingAGroupDeletesItsMembershipsAndPublishesDeleted() {
        String ann = user("ann", null);
        String id = createGroup("Temp", ann);

        ChangeOutcome deleted = apply(group(id, ChangeOperation.DELETE, null));

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(members(id)).isEmpty();
        assertThat(count("select count(*) from scim.groups where tenant_id = ? and id = ?", tenant, id)).isZero();
        ScimEvent fact = awaitEvents(id, 2).get(1);
        assertThat(fact.type()).isEqualTo(EventType.DELETED);
        assertThat(fact.before().get("displayName").asString()).isEqualTo("Temp");
        assertThat(fact.after()).isNull();
    }

    @Test
    void deletingAUserRemovesItFromEveryGroupInTheSameTransactionWithAFactPerGroup() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        String first = createGroup("One", ann, bob);
        String second = createGroup("Two", ann);
        String third = createGroup("Three", bob);

        ChangeOutcome deleted = apply(new ScimChange(UUID.randomUUID(), tenant, ResourceType.USER, ann, ChangeOperation.DELETE, null,
                null, new Actor("tok_test", "test"), "req", now(), ScimChange.SCHEMA_VERSION));

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(members(first)).containsExactly(bob);
        assertThat(members(second)).isEmpty();
        assertThat(members(third)).containsExactly(bob);
        for (String group : List.of(first, second)) {
            ScimEvent removed = awaitEvents(group, 2).get(1);
            assertThat(removed.type()).isEqualTo(EventType.MEMBERS_REMOVED);
            assertThat(removed.members()).containsExactly(ann);
            assertThat(removed.changeId()).isEqualTo(deleted.changeId());
            assertThat(removed.version()).isEqualTo(2);
            assertThat(groupRow(group).get("version")).isEqualTo(2L);
        }
        assertThat(groupRow(first).get("member_count")).isEqualTo(1L);
        assertThat(groupRow(third).get("version")).isEqualTo(1L);
        assertThat(awaitEvents(ann, 1).get(0).type()).isEqualTo(EventType.DELETED);
    }

    @Test
    void addingAndRemovingOneMemberOfALargeGroupTouchesNoOtherMembershipRow() {
        String id = createGroup("Everyone");
        seedMembers(id, 5_000);
        Map<String, Long> before = membershipXmins(id);
        String newcomer = user("newcomer", null);
        String leaver = before.keySet().iterator().next();

        ChangeOutcome added = apply(patch(id, addMembers(newcomer)));
        ChangeOutcome removed = apply(patch(id, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + leaver + "\\\"]\"}]"));

        assertThat(added.status()).isEqualTo(200);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(added.resource().has("members")).as("a large group is answered without its members").isFalse();
        Map<String, Long> after = membershipXmins(id);
        before.remove(leaver);
        assertThat(after).containsKey(newcomer).doesNotContainKey(leaver).hasSize(5_000);
        after.remove(newcomer);
        assertThat(after).as("every other membership row is the very same row version").isEqualTo(before);
        assertThat(groupRow(id).get("member_count")).isEqualTo(5_000L);
        assertThat(groupRow(id).get("version")).isEqualTo(3L);
        List<ScimEvent> facts = awaitEvents(id, 3);
        assertThat(facts.get(1).members()).containsExactly(newcomer);
        assertThat(facts.get(2).members()).containsExactly(leaver);
    }

    @Test
    void removingEveryMemberOfALargeGroupPublishesChunksUnderTheMessageSizeLimit() {
        String id = createGroup("Big");
        seedMembers(id, 12_000);

        ChangeOutcome removed = apply(patch(id, "[{\"op\":\"remove\",\"path\":\"members\"}]"));

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.resource().get("members")).isEmpty();
        assertThat(members(id)).isEmpty();
        String key = Topics.resourceKey(tenant, id);
        var records = await().until(() -> events.records(r -> key.equals(r.key())), list -> list.size() == 4);
        List<ScimEvent> facts = records.stream().map(r -> EventCodec.event(r.value())).toList();
        assertThat(facts.subList(1, 4)).extracting(e -> e.members().size()).containsExactly(5_000, 5_000, 2_000);
        assertThat(records).allSatisfy(r -> assertThat(r.value().length).isLessThan(500_000));
        assertThat(facts.subList(1, 4).stream().flatMap(e -> e.members().stream()).distinct().count()).isEqualTo(12_000);
    }

    /** Okta's Push Groups: create, add members, rename with id, remove by value filter, delete. */
    @Test
    void oktaPushGroupsSequenceAppliesInOrder() {
        String ann = user("ann@example.com", null);
        String bob = user("bob@example.com", null);
        String id = UUID.randomUUID().toString();

        assertThat(apply(group(id, ChangeOperation.CREATE, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta Push","members":[]}""")).status())
                .isEqualTo(201);
        assertThat(apply(patch(id,
                """
                        [{"op":"add","path":"members","value":[{"value":"%s","display":"ann@example.com"},{"value":"%s","display":"bob@example.com"}]}]"""
                        .formatted(ann, bob)))
                .status()).isEqualTo(200);
        ChangeOutcome renamed = apply(
                patch(id, "[{\"op\":\"replace\",\"value\":{\"id\":\"" + id + "\",\"displayName\":\"Okta Pushed\"}}]"));
        assertThat(renamed.resource().get("displayName").asString()).isEqualTo("Okta Pushed");
        assertThat(apply(patch(id, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + ann + "\\\"]\"}]")).status()).isEqualTo(200);
        assertThat(members(id)).containsExactly(bob);
        assertThat(apply(group(id, ChangeOperation.DELETE, null)).status()).isEqualTo(204);

        assertThat(awaitEvents(id, 5)).extracting(ScimEvent::type).containsExactly(EventType.CREATED, EventType.MEMBERS_ADDED,
                EventType.RENAMED, EventType.MEMBERS_REMOVED, EventType.DELETED);
    }

    /** Entra's group provisioning: create, rename, add and remove members with and without the flag, delete. */
    @Test
    void entraGroupSequenceAppliesInOrder() {
        String ann = user("ann@contoso.com", null);
        String bob = user("bob@contoso.com", null);
        String id = UUID.randomUUID().toString();

        ChangeOutcome created = apply(group(id, ChangeOperation.CREATE, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
                            "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                 "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Entra Group","meta":{"resourceType":"Group"}}"""));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.resource().get("externalId").asString()).isEqualTo("8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
        assertThat(apply(patch(id, "[{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"Entra Group 2\"}]")).status()).isEqualTo(200);
        assertThat(apply(patch(id, """
                [{"name":"addMember","op":"Add","path":"members","value":[{"$ref":null,"value":"%s"},{"$ref":null,"value":"%s"}]}]"""
                .formatted(ann, bob))).status()).isEqualTo(200);
        assertThat(apply(patch(id, """
                [{"name":"removeMember","op":"Remove","path":"members","value":[{"$ref":null,"value":"%s"}]}]""".formatted(ann)))
                .status()).isEqualTo(200);
        assertThat(apply(patch(id, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + bob + "\\\"]\"}]")).status()).isEqualTo(200);
        assertThat(members(id)).isEmpty();
        assertThat(apply(group(id, ChangeOperation.DELETE, null)).status()).isEqualTo(204);

        assertThat(awaitEvents(id, 6)).extracting(ScimEvent::type).containsExactly(EventType.CREATED, EventType.RENAMED,
                EventType.MEMBERS_ADDED, EventType.MEMBERS_REMOVED, EventType.MEMBERS_REMOVED, EventType.DELETED);
    }

    @Test
    void aGroupNestedInAGroupIsOneRowAndAFactThatSaysItsMemberIsAGroup() {
        String ann = user("ann", null);
        String child = createGroup("Backend", ann);
        String parent = createGroup("Engineering");

        ChangeOutcome added = apply(patch(parent, """
                [{"op":"add","path":"members","value":[{"value":"%s","type":"Group"}]}]""".formatted(child)));

        assertThat(added.status()).isEqualTo(200);
        assertThat(added.resource().get("members").valueStream().map(m -> m.get("type").asString() + ":" + m.get("display").asString()))
                .containsExactly("Group:Backend");
        assertThat(count("select count(*) from scim.group_member_groups where tenant_id = ? and group_id = ?", tenant, parent))
                .isEqualTo(1);
        assertThat(members(parent)).as("no user rows").isEmpty();
        assertThat(groupRow(parent).get("member_count")).isEqualTo(1L);
        ScimEvent fact = awaitEvents(parent, 2).get(1);
        assertThat(fact.type()).isEqualTo(EventType.MEMBERS_ADDED);
        assertThat(fact.memberType()).isEqualTo(ResourceType.GROUP);
        assertThat(fact.members()).containsExactly(child);
    }

    @Test
    void aGroupWhoseTypeIsNotWhatWasSentIsInvalidValue() {
        String ann = user("ann", null);
        String id = createGroup("Typed");

        ChangeOutcome userAsGroup = apply(patch(id, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + ann
                + "\",\"type\":\"Group\"}]}]"));

        assertThat(userAsGroup.status()).isEqualTo(400);
        assertThat(userAsGroup.scimType()).isEqualTo("invalidValue");
        assertThat(members(id)).isEmpty();
    }

    @Test
    void aCycleAtAnyDepthIsInvalidValueAndNothingIsApplied() {
        String top = createGroup("Top");
        String middle = createGroup("Middle");
        String bottom = createGroup("Bottom");
        assertThat(apply(patch(top, addMembers(middle))).status()).isEqualTo(200);
        assertThat(apply(patch(middle, addMembers(bottom))).status()).isEqualTo(200);

        ChangeOutcome cycle = apply(patch(bottom, "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Renamed\"},"
                + "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + top + "\"}]}]"));
        ChangeOutcome itself = apply(patch(top, addMembers(top)));
        ChangeOutcome byPut = apply(group(middle, ChangeOperation.REPLACE,
                "{\"displayName\":\"Middle\",\"members\":[{\"value\":\"" + top + "\",\"type\":\"Group\"}]}"));

        for (ChangeOutcome refused : List.of(cycle, itself, byPut)) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.scimType()).isEqualTo("invalidValue");
        }
        assertThat(groupRow(bottom).get("display_name")).isEqualTo("Bottom");
        assertThat(count("select count(*) from scim.group_member_groups where tenant_id = ?", tenant)).isEqualTo(2);
    }

    @Test
    void oppositeNestingsAppliedAtTheSameTimeNeverBothCommitNorDeadlock() {
        // pairs on different partitions are applied by different consumers at once: A into B and B into A each pass a
        // cycle check alone, so only the tenant's nesting lock keeps them from making a cycle together
        List<ScimChange> changes = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String a = createGroup("A" + i);
            String b = createGroup("B" + i);
            pairs.add(new String[]{a, b});
            changes.add(patch(a, addMembers(b)));
            changes.add(patch(b, addMembers(a)));
        }
        long deadlocksBefore = deadlocks();
        changes.forEach(this::publish);

        List<ChangeOutcome> outcomes = changes.stream().map(change -> await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> outcomesOf(change.changeId()), list -> !list.isEmpty()).get(0)).toList();

        for (int i = 0; i < pairs.size(); i++) {
            assertThat(List.of(outcomes.get(2 * i).status(), outcomes.get(2 * i + 1).status())).as("pair " + i)
                    .containsExactlyInAnyOrder(200, 400);
        }
        assertThat(count("select count(*) from scim.group_member_groups where tenant_id = ?", tenant)).isEqualTo(pairs.size());
        assertThat(count("""
                select count(*) from scim.group_member_groups x join scim.group_member_groups y
                  on y.tenant_id = x.tenant_id and y.group_id = x.member_group_id and y.member_group_id = x.group_id
                where x.tenant_id = ?""", tenant)).as("no group contains a group that contains it").isZero();
        // a deadlock would be retried and end the same way, but only after PostgreSQL's deadlock timeout: none happens
        // (backends report the count when they go idle, within half a second)
        await().during(java.time.Duration.ofSeconds(1)).atMost(java.time.Duration.ofSeconds(3))
                .until(this::deadlocks, count -> count == deadlocksBefore);
    }

    private long deadlocks() {
        return count("select deadlocks from pg_stat_database where datname = current_database()");
    }

    @Test
    void groupsCreatedAndNestedInOnePollAreAppliedInOneBatchAndACycleWithAnEarlierChangeOfThePollIsRefused() {
        String ann = user("ann", null);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        List<ScimChange> poll = List.of(
                group(a, ChangeOperation.CREATE, "{\"displayName\":\"Poll A\",\"members\":[{\"value\":\"" + ann + "\"}]}"),
                group(b, ChangeOperation.CREATE, "{\"displayName\":\"Poll B\"}"),
                patch(b, addMembers(a)),
                // b into a, after a into b in the same transaction: the cycle check sees the batch's own nesting row
                patch(a, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + b + "\",\"type\":\"Group\"}]}]"));

        listener.onChanges(records(poll));

        assertThat(poll.stream().map(change -> await().until(() -> outcomesOf(change.changeId()), list -> !list.isEmpty()).get(0))
                .map(ChangeOutcome::status)).containsExactly(201, 201, 200, 400);
        assertThat(count("select count(*) from scim.group_member_groups where tenant_id = ? and group_id = ? and member_group_id = ?",
                tenant, b, a)).isEqualTo(1);
        assertThat(count("select count(*) from scim.group_member_groups where tenant_id = ?", tenant)).isEqualTo(1);
        assertThat(count("select count(*) from scim.applied_changes where tenant_id = ? and resource_id in (?, ?)", tenant, a, b))
                .isEqualTo(4);
        assertThat(awaitEvents(b, 2)).extracting(f -> f.type() + " " + f.memberType() + " " + f.members())
                .containsExactly("CREATED USER []", "MEMBERS_ADDED GROUP [" + a + "]");
    }

    private static List<ConsumerRecord<String, byte[]>> records(List<ScimChange> changes) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            records.add(new ConsumerRecord<>(Topics.CHANGES, 0, 2_000_000L + i, changes.get(i).key(), EventCodec.encode(changes.get(i))));
        }
        return records;
    }

    @Test
    void aDeletedGroupLeavesTheGroupsItWasNestedInWithAFactForEach() {
        String child = createGroup("Contractors");
        String one = createGroup("One", child);
        String two = createGroup("Two", child);

        assertThat(apply(group(child, ChangeOperation.DELETE, null)).status()).isEqualTo(204);

        for (String parent : List.of(one, two)) {
            ScimEvent removed = awaitEvents(parent, 3).get(2);
            assertThat(removed.type()).isEqualTo(EventType.MEMBERS_REMOVED);
            assertThat(removed.memberType()).isEqualTo(ResourceType.GROUP);
            assertThat(removed.members()).containsExactly(child);
            assertThat(removed.version()).isEqualTo(2);
            assertThat(groupRow(parent).get("member_count")).isEqualTo(0L);
        }
        assertThat(count("select count(*) from scim.group_member_groups where tenant_id = ?", tenant)).isZero();
    }

    @Test
    void replacingTheMembersOfAGroupWithNestedGroupsKeepsAndRemovesEachKind() {
        String ann = user("ann", null);
        String a = createGroup("A");
        String b = createGroup("B");
        String id = createGroup("Mixed", ann, a);

        ChangeOutcome replaced = apply(patch(id, "[{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"" + b + "\"}]}]"));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.resource().get("members").valueStream().map(m -> m.get("value").asString())).containsExactly(b);
        List<ScimEvent> facts = awaitEvents(id, 5);
        assertThat(facts.get(0).members()).containsExactly(ann);
        assertThat(facts.get(1).memberType()).isEqualTo(ResourceType.GROUP);
        assertThat(facts.get(1).members()).containsExactly(a);
        assertThat(facts.subList(2, 5)).extracting(f -> f.type() + " " + f.memberType() + " " + f.members()).containsExactly(
                "MEMBERS_REMOVED USER [" + ann + "]", "MEMBERS_REMOVED GROUP [" + a + "]", "MEMBERS_ADDED GROUP [" + b + "]");
        assertThat(groupRow(id).get("member_count")).isEqualTo(1L);
    }

    // --- fixture

    private String createGroup(String displayName, String... memberIds) {
        String id = UUID.randomUUID().toString();
        StringBuilder members = new StringBuilder();
        for (String member : memberIds) {
            members.append(members.isEmpty() ? "" : ",").append("{\"value\":\"").append(member).append("\"}");
        }
        ChangeOutcome outcome = apply(group(id, ChangeOperation.CREATE,
                "{\"displayName\":\"" + displayName + "\",\"members\":[" + members + "]}"));
        assertThat(outcome.status()).isEqualTo(201);
        return id;
    }

    /** A user of the test's tenant, stored directly (the worker only reads users when checking members). */
    private String user(String userName, String displayName) {
        return userOf(tenant, userName, displayName);
    }

    private String userOf(String tenant, String userName) {
        return userOf(tenant, userName, null);
    }

    private String userOf(String tenant, String userName, String displayName) {
        String id = UUID.randomUUID().toString();
        String document = displayName == null
                ? "{\"userName\":\"" + userName + "\",\"active\":true}"
                : "{\"userName\":\"" + userName + "\",\"displayName\":\"" + displayName + "\",\"active\":true}";
        jdbc().sql("""
                insert into scim.users (tenant_id, id, user_name, active, document, version, created_at, last_modified)
                values (?, ?, ?, true, ?::jsonb, 1, now(), now())""")
                .params(tenant, id, userName, document).update();
        return id;
    }

    private String otherTenant() {
        String other = "t-" + UUID.randomUUID().toString().substring(0, 8);
        new TenantTokens(dataSource).createTenant(other);
        return other;
    }

    /** Adds that many new users straight into a group, as a large group looks in the store. */
    private void seedMembers(String groupId, int count) {
        jdbc().sql("""
                insert into scim.users (tenant_id, id, user_name, active, document, version, created_at, last_modified)
                select ?, gen_random_uuid()::text, 'seed-' || g || '-' || ?, true, '{"active":true}'::jsonb, 1, now(), now()
                from generate_series(1, ?) g""")
                .params(tenant, groupId, count).update();
        jdbc().sql("""
                insert into scim.group_members (tenant_id, group_id, user_id)
                select tenant_id, ?, id from scim.users where tenant_id = ? and user_name like 'seed-%-' || ?""")
                .params(groupId, tenant, groupId).update();
        jdbc().sql("update scim.groups set member_count = member_count + ? where tenant_id = ? and id = ?")
                .params(count, tenant, groupId).update();
    }

    private Map<String, Long> membershipXmins(String groupId) {
        Map<String, Long> xmins = new java.util.TreeMap<>();
        jdbc().sql("select user_id, xmin::text::bigint from scim.group_members where tenant_id = ? and group_id = ?")
                .params(tenant, groupId).query((java.sql.ResultSet rs) -> {
                    xmins.put(rs.getString(1), rs.getLong(2));
                });
        return xmins;
    }

    private List<String> members(String groupId) {
        return jdbc().sql("select user_id from scim.group_members where tenant_id = ? and group_id = ? order by user_id")
                .params(tenant, groupId).query(String.class).list();
    }

    private Map<String, Object> groupRow(String groupId) {
        return jdbc().sql("select display_name, version, member_count from scim.groups where tenant_id = ? and id = ?")
                .params(tenant, groupId).query().singleRow();
    }

    private long count(String sql, Object... params) {
        return jdbc().sql(sql).params(params).query(Long.class).single();
    }

    private JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }

    private static String addMembers(String... ids) {
        List<String> values = new ArrayList<>();
        for (String id : ids) {
            values.add("{\"value\":\"" + id + "\"}");
        }
        return "[{\"op\":\"add\",\"path\":\"members\",\"value\":[" + String.join(",", values) + "]}]";
    }

    private ScimChange patch(String id, String operations) {
        return group(id, ChangeOperation.PATCH,
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":" + operations + "}");
    }

    /** A group change as the ingress publishes it: POST and PUT bodies validated, PATCH as sent. */
    private ScimChange group(String id, ChangeOperation operation, String body) {
        JsonNode json = body == null ? null : EventCodec.mapper().readTree(body);
        if (operation == ChangeOperation.CREATE || operation == ChangeOperation.REPLACE) {
            json = ScimGroups.validateForWrite(json).toChangeBody();
        }
        return change(ResourceType.GROUP, id, operation, json);
    }
}
