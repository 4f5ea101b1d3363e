package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.unboundid.scim2.common.filters.Filter;

import dev.scimflow.scim.ScimException;

/** Searches against a real PostgreSQL: order, paging by index and by cursor, and the filters IdPs send. */
class UsersSearchTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static UserStoreFixture store;
    private static List<StoredUser> users = new ArrayList<>();

    @BeforeAll
    static void fiveUsers() {
        store = new UserStoreFixture();
        String[] names = {"carol", "alice", "Eve", "bob", "dave"};
        for (int i = 0; i < names.length; i++) {
            users.add(store.insert("""
                    {"userName":"%s@example.com","externalId":"ext-%d","active":%s,
                     "emails":[{"value":"%s@Example.com","type":"work","primary":true}],
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"%s"}}"""
                    .formatted(names[i], i, i % 2 == 0, names[i], i < 2 ? "Sales" : "Engineering"), T0.plusSeconds(i)));
        }
    }

    @Test
    void withoutSortUsersComeInCreationOrderAndIndexPagingCountsFromOne() {
        UserPage page = store.users.search(store.tenant, UserSearch.byIndex(null, 2, 2));

        assertThat(page.totalResults()).isEqualTo(5);
        assertThat(ids(page)).containsExactly(users.get(1).id(), users.get(2).id());
    }

    @Test
    void sortByUserNameIsCaseInsensitiveAndCanBeDescending() {
        UserPage ascending = store.users.search(store.tenant, new UserSearch(null, "userName", false, 1, 10, false, null));
        UserPage descending = store.users.search(store.tenant, new UserSearch(null, "username", true, 1, 10, false, null));

        assertThat(ascending.users()).extracting(StoredUser::userName)
                .containsExactly("alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com", "Eve@example.com");
        assertThat(descending.users()).extracting(StoredUser::userName).first().isEqualTo("Eve@example.com");
    }

    @Test
    void cursorPagingWalksEveryUserOnceAndEndsWithoutANextCursor() {
        List<String> walked = new ArrayList<>();
        UserSearch.Position after = null;
        int pages = 0;
        do {
            UserPage page = store.users.search(store.tenant, new UserSearch(null, null, false, 1, 2, true, after));
            walked.addAll(ids(page));
            after = page.next();
            pages++;
        } while (after != null);

        assertThat(walked).containsExactlyElementsOf(users.stream().map(StoredUser::id).toList());
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void theFiltersIdpsSendFindTheirUsers() throws Exception {
        assertThat(match("userName eq \"ALICE@example.com\"")).containsExactly(users.get(1).id());
        assertThat(match("externalId eq \"ext-3\"")).containsExactly(users.get(3).id());
        assertThat(match("externalId eq \"EXT-3\"")).isEmpty();
        assertThat(match("emails.value eq \"bob@example.com\"")).containsExactly(users.get(3).id());
        assertThat(match("emails[type eq \"work\" and value co \"@example\"]")).hasSize(5);
        assertThat(match("active eq false")).containsExactly(users.get(1).id(), users.get(3).id());
        assertThat(match("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"sales\""))
                .containsExactly(users.get(0).id(), users.get(1).id());
        assertThat(match("meta.lastModified gt \"2026-01-01T00:00:02Z\"")).containsExactly(users.get(3).id(), users.get(4).id());
        assertThat(match("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"d\"")).containsExactly(users.get(4).id());
    }

    @Test
    void anEmailValueEqualityUsesTheEmailIndex() throws Exception {
        // with five rows the planner would rather scan; forbid that to see which index serves the condition
        SqlCondition condition = UserFilterSql.toSql(Filter.fromString("emails.value eq \"Bob@example.com\""), store.tenant);
        try (var connection = store.dataSource.getConnection()) {
            var jdbc = JdbcClient.create(new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true));
            jdbc.sql("set enable_seqscan = off").update();
            // the condition alone: with the tenant too, a tiny table is better served by the tenant index
            String plan = String.join("\n", jdbc.sql("explain select id from scim.users where " + condition.sql())
                    .params(condition.params()).query(String.class).list());

            assertThat(plan).contains("users_email_values");
        }
    }

    @Test
    void unknownAttributesAndMistypedValuesAreInvalidFilters() {
        for (String filter : List.of("nosuch eq \"x\"", "active gt true", "userName eq 42", "meta.lastModified gt \"yesterday\"",
                "name eq \"x\"", "emails[nosuch eq \"x\"]")) {
            assertThatThrownBy(() -> match(filter)).as(filter).isInstanceOf(ScimException.class)
                    .extracting(e -> ((ScimException) e).scimType()).isEqualTo("invalidFilter");
        }
    }

    @Test
    void theFiltersIdpsLookUpUsersByAreServedByTheirIndexes() throws Exception {
        // A condition the planner cannot match to an index (a coalesce around the comparison was one) reads every user
        // of the tenant: 10 s per Okta lookup with 1,000,000 users. With sequential scans off, the plan shows whether
        // the index can serve the condition at all.
        assertThat(plan("userName eq \"alice@example.com\"")).contains("users_user_name");
        assertThat(plan("externalId eq \"ext-1\"")).contains("users_external_id");
    }

    private static String plan(String filter) throws Exception {
        SqlCondition condition = UserFilterSql.toSql(Filter.fromString(filter), store.tenant);
        try (var connection = store.dataSource.getConnection(); var statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("set local enable_seqscan = off");
            try (var explain = connection
                    .prepareStatement("explain select id from scim.users where tenant_id = ? and " + condition.sql())) {
                explain.setString(1, store.tenant);
                for (int i = 0; i < condition.params().size(); i++) {
                    explain.setObject(i + 2, condition.params().get(i));
                }
                StringBuilder plan = new StringBuilder();
                try (var rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                connection.rollback();
                return plan.toString();
            }
        }
    }

    private static List<String> match(String filter) throws Exception {
        return ids(store.users.search(store.tenant, UserSearch.byIndex(Filter.fromString(filter), 1, 100)));
    }

    private static List<String> ids(UserPage page) {
        return page.users().stream().map(StoredUser::id).toList();
    }
}
