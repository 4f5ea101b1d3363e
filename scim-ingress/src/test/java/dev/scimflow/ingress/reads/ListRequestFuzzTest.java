package dev.scimflow.ingress.reads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.limits.FilterLimits;
import dev.scimflow.scim.Fuzz;
import dev.scimflow.scim.Gen;
import dev.scimflow.scim.ScimException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes what a list request takes from the client before it reaches the store: filter (limits, then the SDK's
 * parser), paging, sort, cursor, and whole SearchRequest bodies. Every input is a search or a ScimException; the
 * filter limits make the worst filter cheap. Each target runs as a seeded run of {@code -Dfuzz.tries} inputs and as a
 * Jazzer fuzz test over the same grammar (see {@link Fuzz}; SECURITY.md says how to run both for long).
 */
class ListRequestFuzzTest {

    private static final int CI_TRIES = 3_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Gen<ListRequest> REQUESTS = listRequests();
    private static final Gen<String> SEARCH_BODIES = searchBodies();

    @Test
    void everyListRequestIsASearchOrAScimError() {
        Fuzz.run("list-request", CI_TRIES, REQUESTS, ListRequestFuzzTest::toSearch);
    }

    @FuzzTest
    void everyFuzzedListRequestIsASearchOrAScimError(FuzzedDataProvider data) {
        Fuzz.once("list-request", data, REQUESTS, ListRequestFuzzTest::toSearch);
    }

    @Test
    void everySearchRequestBodyIsASearchOrAScimError() {
        Fuzz.run("search-body", CI_TRIES, SEARCH_BODIES, ListRequestFuzzTest::searchBody);
    }

    @FuzzTest
    void everyFuzzedSearchRequestBodyIsASearchOrAScimError(FuzzedDataProvider data) {
        Fuzz.once("search-body", data, SEARCH_BODIES, ListRequestFuzzTest::searchBody);
    }

    private static void toSearch(ListRequest request) {
        var search = request.toUserSearch(1000);
        assertThat(search.count()).isBetween(0, 1000);
        assertThat(search.startIndex()).isPositive();
    }

    private static void searchBody(String body) {
        ListRequest.fromSearchBody(ScimJson.parse(body.getBytes())).toUserSearch(1000);
    }

    private static Gen<ListRequest> listRequests() {
        Gen<String> filters = Gen.<String>oneOf(filters(), Fuzz.mutated(filters()), hugeFilters()).orNull(0.1);
        Gen<String> sortBys = Gen.of("userName", "emails[", "meta.created", "x.y.z").orNull(0.7);
        Gen<String> sortOrders = Gen.of("ascending", "descending", "up").orNull(0.7);
        Gen<String> numbers = Gen.of("1", "0", "-5", "100", "99999999999999999999", "1e3", " 7 ", "", "x").orNull(0.5);
        Gen<String> cursors = Gen.of("", "djE6MTow", "not-base64!", "djE6eDp5", "djI6MTph").orNull(0.8);
        return r -> {
            String filter = filters.next(r);
            String sortBy = sortBys.next(r);
            String sortOrder = sortOrders.next(r);
            String startIndex = numbers.next(r);
            String count = numbers.next(r);
            String cursor = cursors.next(r);
            return new ListRequest(filter, sortBy, sortOrder, startIndex, count, cursor, null, null);
        };
    }

    private static Gen<String> searchBodies() {
        Gen<String> filters = filters();
        Gen<Integer> numbers = Gen.integers();
        return Fuzz.mutated(r -> {
            String f = filters.next(r);
            int n = numbers.next(r);
            return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"filter\":" + JSON.writeValueAsString(f)
                    + ",\"startIndex\":" + n + ",\"count\":\"" + n + "\",\"attributes\":[\"userName\"],\"sortBy\":\"userName\"}";
        });
    }

    @Test
    void filtersOverTheLimitsAreRefusedBeforeTheParserSeesThem() {
        String term = "userName eq \"x\"";
        for (String filter : List.of("(".repeat(FilterLimits.MAX_DEPTH + 1) + term + ")".repeat(FilterLimits.MAX_DEPTH + 1),
                "not (".repeat(FilterLimits.MAX_DEPTH + 1) + term + ")".repeat(FilterLimits.MAX_DEPTH + 1),
                (term + " or ").repeat(FilterLimits.MAX_LOGICAL_OPERATORS + 1) + term,
                "userName eq \"" + "a".repeat(FilterLimits.MAX_LENGTH) + "\"",
                "emails[".repeat(100_000))) {
            assertThatThrownBy(() -> new ListRequest(filter, null, null, null, null, null, null, null).toUserSearch(1000))
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
        }
        // at the limits, and with brackets and keywords inside strings, the filter is fine
        String atLimits = "(".repeat(FilterLimits.MAX_DEPTH) + term + ")".repeat(FilterLimits.MAX_DEPTH);
        assertThat(new ListRequest(atLimits, null, null, null, null, null, null, null).toUserSearch(1000).filter()).isNotNull();
        assertThat(new ListRequest("title eq \"((((((((((((((((((( and or not [[[[\"", null, null, null, null, null, null, null)
                .toUserSearch(1000).filter()).isNotNull();
    }

    @Test
    void theWorstFilterTheLimitsAllowParsesInMilliseconds() {
        String term = "userName eq \"" + "x".repeat(60) + "\"";
        String worst = (term + " or ").repeat(FilterLimits.MAX_LOGICAL_OPERATORS) + term;
        ListRequest request = new ListRequest(worst, null, null, null, null, null, null, null);
        for (int i = 0; i < 50; i++) {
            request.toUserSearch(1000);
        }
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            request.toUserSearch(1000);
        }
        long perFilter = (System.nanoTime() - start) / 20 / 1_000_000;
        System.out.println("worst filter within the limits (" + worst.length() + " chars): " + perFilter + " ms");
        assertThat(perFilter).isLessThan(100);
    }

    private static Gen<String> hugeFilters() {
        Gen<String> pieces = Gen.of("(", "not (", "userName eq \"x\" or ", "emails[", "\"", "a");
        Gen<Integer> times = Gen.integers(1, 20_000);
        return r -> pieces.next(r).repeat(times.next(r));
    }

    private static Gen<String> filters() {
        Gen<String> attribute = Gen.of("userName", "emails.value", "emails", "active", "meta.lastModified", "name.givenName", "nope",
                "urn:x:a");
        Gen<String> literal = Gen.oneOf(
                Gen.strings(Gen.textChar(), 0, 12).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                Gen.of("true", "null", "12", "\"2026-01-01T00:00:00Z\""));
        Gen<String> operator = Gen.of("eq", "ne", "co", "sw", "gt", "le");
        Gen<String> comparison = r -> {
            String a = attribute.next(r);
            String op = operator.next(r);
            String v = literal.next(r);
            return a + " " + op + " " + v;
        };
        Gen<String> andOr = Gen.of("and", "or");
        return Gen.recursive(comparison, inner -> Gen.oneOf(
                r -> "(" + inner.next(r) + ") " + andOr.next(r) + " " + inner.next(r),
                inner.map(f -> "not (" + f + ")"),
                inner.map(f -> "emails[" + f + "]"),
                inner), 0, 5);
    }
}
