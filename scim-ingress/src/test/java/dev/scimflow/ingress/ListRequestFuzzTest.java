package dev.scimflow.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.scimflow.scim.Fuzz;
import dev.scimflow.scim.ScimException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes what a list request takes from the client before it reaches the store: filter (limits, then the SDK's
 * parser), paging, sort, cursor, and whole SearchRequest bodies. Every input is a search or a ScimException; the
 * filter limits make the worst filter cheap. Tries: {@code -Dfuzz.tries} (see {@link Fuzz}).
 */
class ListRequestFuzzTest {

    private static final int CI_TRIES = 3_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Example
    void everyListRequestIsASearchOrAScimError() {
        Arbitrary<String> filters = Arbitraries.oneOf(filters(), Fuzz.mutated(filters()), hugeFilters());
        Arbitrary<String> numbers = Arbitraries.of("1", "0", "-5", "100", "99999999999999999999", "1e3", " 7 ", "", "x").injectNull(0.5);
        Arbitrary<String> cursors = Arbitraries.of("", "djE6MTow", "not-base64!", "djE6eDp5", "djI6MTph").injectNull(0.8);
        Arbitrary<ListRequest> requests = Combinators.combine(filters.injectNull(0.1), Arbitraries.of("userName", "emails[", "meta.created", "x.y.z").injectNull(0.7),
                Arbitraries.of("ascending", "descending", "up").injectNull(0.7), numbers, numbers, cursors)
                .as((filter, sortBy, sortOrder, startIndex, count, cursor) -> new ListRequest(filter, sortBy, sortOrder, startIndex, count, cursor, null, null));
        Fuzz.run("list-request", CI_TRIES, requests, request -> {
            var search = request.toUserSearch(1000);
            assertThat(search.count()).isBetween(0, 1000);
            assertThat(search.startIndex()).isPositive();
        });
    }

    @Example
    void everySearchRequestBodyIsASearchOrAScimError() {
        Arbitrary<String> bodies = Fuzz.mutated(Combinators.combine(filters(), Arbitraries.integers()).as((f, n) ->
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"filter\":" + JSON.writeValueAsString(f)
                        + ",\"startIndex\":" + n + ",\"count\":\"" + n + "\",\"attributes\":[\"userName\"],\"sortBy\":\"userName\"}"));
        Fuzz.run("search-body", CI_TRIES, bodies, body -> ListRequest.fromSearchBody(ScimJson.parse(body.getBytes())).toUserSearch(1000));
    }

    @Example
    void filtersOverTheLimitsAreRefusedBeforeTheParserSeesThem() {
        String term = "userName eq \"x\"";
        for (String filter : List.of("(".repeat(FilterLimits.MAX_DEPTH + 1) + term + ")".repeat(FilterLimits.MAX_DEPTH + 1),
                "not (".repeat(FilterLimits.MAX_DEPTH + 1) + term + ")".repeat(FilterLimits.MAX_DEPTH + 1),
                (term + " or ").repeat(FilterLimits.MAX_LOGICAL_OPERATORS + 1) + term,
                "userName eq \"" + "a".repeat(FilterLimits.MAX_LENGTH) + "\"",
                "emails[" .repeat(100_000))) {
            assertThatThrownBy(() -> new ListRequest(filter, null, null, null, null, null, null, null).toUserSearch(1000))
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
        }
        // at the limits, and with brackets and keywords inside strings, the filter is fine
        String atLimits = "(".repeat(FilterLimits.MAX_DEPTH) + term + ")".repeat(FilterLimits.MAX_DEPTH);
        assertThat(new ListRequest(atLimits, null, null, null, null, null, null, null).toUserSearch(1000).filter()).isNotNull();
        assertThat(new ListRequest("title eq \"((((((((((((((((((( and or not [[[[\"", null, null, null, null, null, null, null)
                .toUserSearch(1000).filter()).isNotNull();
    }

    @Example
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

    private static Arbitrary<String> hugeFilters() {
        return Combinators.combine(Arbitraries.of("(", "not (", "userName eq \"x\" or ", "emails[", "\"", "a"),
                Arbitraries.integers().between(1, 20_000)).as(String::repeat);
    }

    private static Arbitrary<String> filters() {
        Arbitrary<String> attribute = Arbitraries.of("userName", "emails.value", "emails", "active", "meta.lastModified", "name.givenName", "nope", "urn:x:a");
        Arbitrary<String> literal = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                Arbitraries.of("true", "null", "12", "\"2026-01-01T00:00:00Z\""));
        Arbitrary<String> comparison = Combinators.combine(attribute, Arbitraries.of("eq", "ne", "co", "sw", "gt", "le"), literal)
                .as((a, op, v) -> a + " " + op + " " + v);
        return Arbitraries.recursive(() -> comparison, inner -> Arbitraries.oneOf(
                Combinators.combine(inner, inner, Arbitraries.of("and", "or")).as((a, b, op) -> "(" + a + ") " + op + " " + b),
                inner.map(f -> "not (" + f + ")"),
                inner.map(f -> "emails[" + f + "]"),
                inner), 0, 5);
    }
}
