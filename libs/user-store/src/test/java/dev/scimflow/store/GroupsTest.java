package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.unboundid.scim2.common.filters.Filter;

import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimGroups;

/** Groups and memberships against a real PostgreSQL: membership statements, member paging, searches, a user's groups. */
class GroupsTest {

    private static UserStoreFixture store;
    private static Groups groups;
    private String tenant;

    @BeforeAll
    static void userStore() {
        store = new UserStoreFixture();
        groups = new Groups(store.dataSource);
    }

    @BeforeEach
    void tenantOfItsOwn() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        new TenantTokens(store.dataSource).createTenant(tenant);
    }

    @Test
    void addingIsIdempotentAndRemovingReturnsOnlyThoseThatWereMembers() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        StoredGroup group = group("G");

        assertThat(groups.addMembers(tenant, group.id(), List.of(ann, bob))).containsExactlyInAnyOrder(ann, bob);
        assertThat(groups.addMembers(tenant, group.id(), List.of(bob))).isEmpty();
        assertThat(groups.removeMembers(tenant, group.id(), List.of(bob, "nobody"))).containsExactly(bob);
        assertThat(members(group)).containsExactly(ann);
    }

    @Test
    void unknownUsersAreThoseOfNoUserOfTheTenantInTheOrderGiven() {
        String ann = user("ann", null);
        String theirs = userOf(otherTenant(), "eve");

        assertThat(groups.unknownUsers(tenant, List.of("x", ann, theirs, "y"))).containsExactly("x", theirs, "y");
        assertThat(groups.unknownUsers(tenant, List.of())).isEmpty();
    }

    @Test
    void removingAllExceptSomeWorksInChunksOfTheLimit() {
        StoredGroup group = group("G");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            users.add(user("u" + i, null));
        }
        groups.addMembers(tenant, group.id(), users);
        List<String> keep = List.of(users.get(2), users.get(5));

        List<String> removed = new ArrayList<>();
        List<String> chunk;
        do {
            chunk = groups.removeMembersExcept(tenant, group.id(), keep, 2);
            assertThat(chunk.size()).isLessThanOrEqualTo(2);
            removed.addAll(chunk);
        } while (chunk.size() == 2);

        assertThat(removed).hasSize(5).doesNotContainAnyElementsOf(keep);
        assertThat(members(group)).containsExactlyInAnyOrderElementsOf(keep);
        assertThat(groups.removeMembersExcept(tenant, group.id(), List.of(), 10)).containsExactlyInAnyOrderElementsOf(keep);
    }

    @Test
    void membersArePagedByKeysetInUserIdOrderWithTheirDisplayName() {
        StoredGroup group = group("G");
        List<String> users = new ArrayList<>(List.of(user("ann", "Ann A"), user("bob", null), user("cat", null), user("dan", null),
                user("eve", null)));
        groups.addMembers(tenant, group.id(), users);

        List<GroupMember> seen = new ArrayList<>();
        groups.forEachMember(tenant, group.id(), 2, seen::add);

        assertThat(seen).extracting(GroupMember::id).containsExactlyElementsOf(users.stream().sorted().toList());
        assertThat(seen).extracting(GroupMember::display).contains("Ann A", "bob", "cat", "dan", "eve");
    }

    @Test
    void aDeletedUserLeavesEveryGroupWhoseVersionAndCountMove() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        StoredGroup one = group("One");
        StoredGroup two = group("Two");
        StoredGroup three = group("Three");
        groups.addMembers(tenant, one.id(), List.of(ann, bob));
        groups.addMembers(tenant, two.id(), List.of(ann));
        groups.addMembers(tenant, three.id(), List.of(bob));
        setCount(one, 2);
        setCount(two, 1);

        List<Groups.GroupVersion> left = groups.removeFromAllGroups(tenant, ann, Instant.now());

        assertThat(left).extracting(Groups.GroupVersion::groupId).containsExactlyInAnyOrder(one.id(), two.id());
        assertThat(left).extracting(Groups.GroupVersion::version).containsOnly(2L);
        assertThat(groups.find(tenant, one.id()).orElseThrow().memberCount()).isEqualTo(1);
        assertThat(groups.find(tenant, three.id()).orElseThrow().version()).isEqualTo(1);
        assertThat(members(one)).containsExactly(bob);
    }

    @Test
    void groupsOfGivesEveryUserAskedForItsGroupsByDisplayNameInOneQueryAsFindWithGroupsDoesWithTheUser() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        String cat = user("cat", null);
        StoredGroup zeta = group("zeta");
        StoredGroup alpha = group("Alpha");
        groups.addMembers(tenant, zeta.id(), List.of(ann, bob));
        groups.addMembers(tenant, alpha.id(), List.of(ann));

        Map<String, List<GroupRef>> of = groups.groupsOf(tenant, List.of(ann, bob, cat));

        assertThat(of.get(ann)).containsExactly(new GroupRef(alpha.id(), "Alpha", true), new GroupRef(zeta.id(), "zeta", true));
        assertThat(of.get(bob)).containsExactly(new GroupRef(zeta.id(), "zeta", true));
        assertThat(of.get(cat)).isEmpty();
        assertThat(groups.groupsOf(otherTenant(), List.of(ann)).get(ann)).isEmpty();
        assertThat(store.users.findWithGroups(tenant, ann).orElseThrow().groups()).isEqualTo(of.get(ann));
        assertThat(store.users.findWithGroups(tenant, cat).orElseThrow().groups()).isEmpty();
        assertThat(store.users.findWithGroups(tenant, cat).orElseThrow().user()).isEqualTo(store.users.find(tenant, cat).orElseThrow());
        assertThat(store.users.findWithGroups(otherTenant(), ann)).isEmpty();
    }

    @Test
    void searchesFilterOnTheGroupAndOnItsMembers() {
        String ann = user("ann", null);
        StoredGroup withAnn = group("Engineering");
        StoredGroup empty = group("Empty");
        StoredGroup other = group("Sales", "ext-1");
        groups.addMembers(tenant, withAnn.id(), List.of(ann));
        groups.addMembers(tenant, other.id(), List.of(user("bob", null)));

        assertThat(ids("members[value eq \"" + ann + "\"]")).containsExactly(withAnn.id());
        assertThat(ids("members.value eq \"" + ann + "\"")).containsExactly(withAnn.id());
        assertThat(ids("not (members[value eq \"" + ann + "\"])")).containsExactlyInAnyOrder(empty.id(), other.id());
        assertThat(ids("members pr")).containsExactlyInAnyOrder(withAnn.id(), other.id());
        assertThat(ids("displayName eq \"ENGINEERING\"")).containsExactly(withAnn.id());
        assertThat(ids("displayName sw \"e\" and not (displayName co \"gin\")")).containsExactly(empty.id());
        assertThat(ids("externalId eq \"ext-1\" or externalId eq \"EXT-1\"")).containsExactly(other.id());
        assertThat(ids("externalId pr")).containsExactly(other.id());
        assertThat(ids("meta.created ge \"2000-01-01T00:00:00Z\"")).hasSize(3);
        Throwable unknown = catchThrowable(() -> ids("owner eq \"x\""));
        assertThat(unknown).isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
        Throwable memberDisplay = catchThrowable(() -> ids("members[display eq \"x\"]"));
        assertThat(memberDisplay).isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
    }

    @Test
    void searchesSortAndPageStablyByIndexOrCursor() {
        for (String name : List.of("b", "A", "d", "C")) {
            group(name);
        }

        GroupPage sorted = groups.search(tenant, new GroupSearch(null, "displayName", true, 1, 10, false, null));
        GroupPage second = groups.search(tenant, new GroupSearch(null, "displayName", false, 2, 2, false, null));
        GroupPage firstCursor = groups.search(tenant, new GroupSearch(null, null, false, 1, 3, true, null));
        GroupPage nextCursor = groups.search(tenant, new GroupSearch(null, null, false, 1, 3, true, firstCursor.next()));

        assertThat(sorted.groups()).extracting(StoredGroup::displayName).containsExactly("d", "C", "b", "A");
        assertThat(second.totalResults()).isEqualTo(4);
        assertThat(second.groups()).extracting(StoredGroup::displayName).containsExactly("b", "C");
        assertThat(firstCursor.groups()).extracting(StoredGroup::displayName).containsExactly("b", "A", "d");
        assertThat(nextCursor.groups()).extracting(StoredGroup::displayName).containsExactly("C");
        assertThat(nextCursor.next()).isNull();
    }

    @Test
    void membersOfEitherKindAreFoundByIdAndAGroupsOwnMembersArePagedWithItsNestedGroups() {
        String ann = user("ann", null);
        StoredGroup parent = group("Parent");
        StoredGroup child = group("Child");

        assertThat(groups.memberTypes(tenant, List.of(ann, child.id(), "nobody", userOf(otherTenant(), "eve"))))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(ann, dev.scimflow.scim.MemberType.USER, child.id(), dev.scimflow.scim.MemberType.GROUP));
        groups.addMembers(tenant, parent.id(), List.of(ann));
        assertThat(groups.addMemberGroups(tenant, parent.id(), List.of(child.id()))).containsExactly(child.id());
        assertThat(groups.addMemberGroups(tenant, parent.id(), List.of(child.id()))).as("idempotent").isEmpty();

        List<GroupMember> seen = new ArrayList<>();
        groups.forEachMember(tenant, parent.id(), 1, seen::add);

        assertThat(seen).containsExactlyInAnyOrder(new GroupMember(ann, "ann"),
                new GroupMember(child.id(), "Child", dev.scimflow.scim.MemberType.GROUP));
        assertThat(ids("members[value eq \"" + child.id() + "\"]")).containsExactly(parent.id());
        assertThat(ids("members.value eq \"" + ann + "\"")).containsExactly(parent.id());
        assertThat(groups.removeMemberGroups(tenant, parent.id(), List.of(child.id(), ann))).containsExactly(child.id());
    }

    @Test
    void aGroupsAncestorsAreFoundByWalkingUpSoThatACycleCanBeRefused() {
        StoredGroup top = group("Top");
        StoredGroup middle = group("Middle");
        StoredGroup bottom = group("Bottom");
        StoredGroup aside = group("Aside");
        groups.addMemberGroups(tenant, top.id(), List.of(middle.id()));
        groups.addMemberGroups(tenant, middle.id(), List.of(bottom.id()));

        // adding any of these to bottom would make a cycle: bottom itself, and the groups it is nested in
        assertThat(groups.groupAndAncestorsAmong(tenant, bottom.id(), List.of(top.id(), middle.id(), bottom.id(), aside.id())))
                .containsExactlyInAnyOrder(top.id(), middle.id(), bottom.id());
        assertThat(groups.groupAndAncestorsAmong(tenant, top.id(), List.of(middle.id(), bottom.id(), aside.id()))).isEmpty();
    }

    @Test
    void aUsersGroupsAreDirectAndIndirectThroughNestingAtAnyDepthAlsoWhenReadWithTheUser() {
        String ann = user("ann", null);
        String bob = user("bob", null);
        StoredGroup company = group("Company");
        StoredGroup engineering = group("Engineering");
        StoredGroup backend = group("Backend");
        groups.addMemberGroups(tenant, company.id(), List.of(engineering.id()));
        groups.addMemberGroups(tenant, engineering.id(), List.of(backend.id()));
        groups.addMembers(tenant, backend.id(), List.of(ann));
        groups.addMembers(tenant, company.id(), List.of(ann, bob));

        Map<String, List<GroupRef>> of = groups.groupsOf(tenant, List.of(ann, bob));

        assertThat(of.get(ann)).containsExactly(new GroupRef(backend.id(), "Backend", true), new GroupRef(company.id(), "Company", true),
                new GroupRef(engineering.id(), "Engineering", false));
        assertThat(of.get(bob)).containsExactly(new GroupRef(company.id(), "Company", true));
        assertThat(store.users.findWithGroups(tenant, ann).orElseThrow().groups()).isEqualTo(of.get(ann));
        assertThat(store.users.findWithGroups(tenant, bob).orElseThrow().groups()).isEqualTo(of.get(bob));
        assertThat(userIds("groups.value eq \"" + company.id() + "\"")).containsExactlyInAnyOrder(ann, bob);
        assertThat(userIds("groups.value eq \"" + engineering.id() + "\"")).containsExactly(ann);
        assertThat(userIds("groups[value eq \"" + engineering.id() + "\"]")).containsExactly(ann);
        assertThat(userIds("groups.display eq \"BACKEND\"")).containsExactly(ann);
        assertThat(userIds("groups.value ne \"" + engineering.id() + "\"")).containsExactly(bob);
        assertThat(userIds("groups pr and userName eq \"bob\"")).containsExactly(bob);
        Throwable unsupported = catchThrowable(() -> userIds("groups.value co \"x\""));
        assertThat(unsupported).isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
    }

    @Test
    void aDeletedGroupLeavesEveryGroupItWasNestedInWhoseVersionAndCountMove() {
        StoredGroup one = group("One");
        StoredGroup two = group("Two");
        StoredGroup child = group("Child");
        groups.addMemberGroups(tenant, one.id(), List.of(child.id()));
        groups.addMemberGroups(tenant, two.id(), List.of(child.id()));
        setCount(one, 1);
        setCount(two, 1);

        List<Groups.GroupVersion> left = groups.removeFromAllParents(tenant, child.id(), Instant.now());
        groups.delete(tenant, child.id());

        assertThat(left).extracting(Groups.GroupVersion::groupId).containsExactly(
                java.util.stream.Stream.of(one.id(), two.id()).sorted().toArray(String[]::new));
        assertThat(left).extracting(Groups.GroupVersion::version).containsOnly(2L);
        assertThat(groups.find(tenant, one.id()).orElseThrow().memberCount()).isZero();
        assertThat(members(one)).isEmpty();
    }

    // --- fixture

    private List<String> userIds(String filter) {
        try {
            return store.users.search(tenant, UserSearch.byIndex(Filter.fromString(filter), 1, 100)).users().stream()
                    .map(StoredUser::id).toList();
        } catch (com.unboundid.scim2.common.exceptions.BadRequestException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<String> ids(String filter) {
        try {
            return groups.search(tenant, new GroupSearch(Filter.fromString(filter), null, false, 1, 100, false, null)).groups()
                    .stream().map(StoredGroup::id).toList();
        } catch (com.unboundid.scim2.common.exceptions.BadRequestException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<String> members(StoredGroup group) {
        List<String> ids = new ArrayList<>();
        groups.forEachMember(tenant, group.id(), 100, member -> ids.add(member.id()));
        return ids;
    }

    private void setCount(StoredGroup group, long count) {
        org.springframework.jdbc.core.simple.JdbcClient.create(store.dataSource)
                .sql("update scim.groups set member_count = ? where tenant_id = ? and id = ?").params(count, tenant, group.id()).update();
    }

    private StoredGroup group(String displayName) {
        return group(displayName, null);
    }

    private StoredGroup group(String displayName, String externalId) {
        String body = "{\"displayName\":\"" + displayName + "\"" + (externalId == null ? "" : ",\"externalId\":\"" + externalId + "\"")
                + "}";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        StoredGroup group = new StoredGroup(tenant, UUID.randomUUID().toString(),
                ScimGroups.validateForWrite(UserStoreFixture.JSON.readTree(body)).document(), 0, 1, now, now);
        groups.insert(group);
        return group;
    }

    private String user(String userName, String displayName) {
        return userOf(tenant, userName, displayName);
    }

    private String userOf(String tenant, String userName) {
        return userOf(tenant, userName, null);
    }

    private String userOf(String tenant, String userName, String displayName) {
        String body = displayName == null
                ? "{\"userName\":\"" + userName + "\"}"
                : "{\"userName\":\"" + userName + "\",\"displayName\":\"" + displayName + "\"}";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        StoredUser user = new StoredUser(tenant, UUID.randomUUID().toString(),
                dev.scimflow.scim.ScimUsers.validateForWrite(UserStoreFixture.JSON.readTree(body)), 1, now, now);
        store.users.insert(user);
        return user.id();
    }

    private String otherTenant() {
        String other = "t-" + UUID.randomUUID().toString().substring(0, 8);
        new TenantTokens(store.dataSource).createTenant(other);
        return other;
    }
}
