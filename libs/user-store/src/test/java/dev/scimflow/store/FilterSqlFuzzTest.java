package dev.scimflow.store;

import static dev.scimflow.scim.Gen.weighted;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;

import dev.scimflow.scim.Fuzz;
import dev.scimflow.scim.Gen;
import dev.scimflow.scim.ScimException;

/**
 * Fuzzes filter → SQL end to end: random filters from the SCIM grammar, and the same mutated, are parsed by the
 * SDK, translated by {@link UserFilterSql} and run against a real PostgreSQL holding users. Each must be refused as
 * a SCIM error (a parse failure is the ingress's invalidFilter) or run: never an SQL error, which would be a 500,
 * and never slowly. The same for sortBy. Each target runs as a seeded run of {@code -Dfuzz.tries} inputs and as a
 * Jazzer fuzz test over the same grammar (see {@link Fuzz}; SECURITY.md says how to run both for long).
 */
class FilterSqlFuzzTest {

    private static final int CI_TRIES = 2_000;
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final List<String> NAMES = List.of("userName", "USERNAME", "name.givenName", "name.familyName", "name",
            "emails.value", "emails.type", "emails.primary", "emails", "active", "role", "title", "externalId", "id",
            "meta.created", "meta.lastModified", "meta.version", "meta", "groups", "groups.value", "password",
            "phoneNumbers.value", "addresses.locality", "x509Certificates.value", "displayName", "nickName", "locale",
            "roles.value", ENTERPRISE + ":department", ENTERPRISE + ":manager.value", ENTERPRISE + ":manager", ENTERPRISE,
            "urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:x:y", "nope", "emails.value.x");
    private static final Gen<String> FILTERS = Gen.oneOf(filters(), Fuzz.mutated(filters()));
    private static final Gen<String> SORT_BYS = Gen.oneOf(Gen.of(NAMES), Fuzz.mutated(Gen.of(NAMES)));
    private static UserStoreFixture store;

    @BeforeAll
    static void storeWithUsers() {
        store = new UserStoreFixture();
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        store.insert(
                "{\"userName\":\"ann@example.com\",\"active\":true,\"title\":\"Dr\",\"emails\":[{\"value\":\"ann@example.com\",\"type\":\"work\",\"primary\":true}]}",
                t0);
        store.insert("{\"userName\":\"bob\",\"active\":false,\"name\":{\"givenName\":\"Bob\"},\"" + ENTERPRISE
                + "\":{\"department\":\"Sales\",\"manager\":{\"value\":\"m\"}}}", t0.plusSeconds(1));
        store.insert(
                "{\"userName\":\"o'neil_100%\",\"x509Certificates\":[{\"value\":\"MIIB\"}],\"phoneNumbers\":[{\"value\":\"+1\",\"type\":\"work\"}]}",
                t0.plusSeconds(2));
    }

    @Test
    void everyFilterIsRefusedAsAScimErrorOrRunsInPostgres() {
        Fuzz.run("filter-sql", CI_TRIES, FILTERS, FilterSqlFuzzTest::search);
    }

    @FuzzTest
    void everyFuzzedFilterIsRefusedAsAScimErrorOrRunsInPostgres(FuzzedDataProvider data) {
        Fuzz.once("filter-sql", data, FILTERS, FilterSqlFuzzTest::search);
    }

    private static void search(String text) {
        Filter filter;
        try {
            filter = Filter.fromString(text);
        } catch (BadRequestException | RuntimeException e) {
            throw ScimException.invalidFilter("invalid filter"); // what the ingress answers
        }
        store.users.search(store.tenant, UserSearch.byIndex(filter, 1, 5));
    }

    @Test
    void handPickedHostileFiltersAreRefusedAsScimErrorsOrRun() {
        List<String> hostile = List.of("meta.lastModified gt \"+999999999-12-31T23:59:59Z\"",
                "meta.created lt \"-999999999-01-01T00:00:00Z\"", "meta.created eq \"0000-01-01T00:00:00Z\"",
                "meta.lastModified ge \"294277-01-01T00:00:00Z\"", "meta.lastModified gt \"2026-01-01T00:00:00+18:00\"",
                ENTERPRISE + ":department eq \"\u0000\"", "userName eq \"\u0000\"", "title co \"\u0000\"",
                "userName eq \"' or 1=1 --\"", "displayName sw \"%\"", "title ew \"\\\\\"", "emails[value co \"_\"]",
                "emails[type eq \"work\" and value pr]", "active eq \"true\"", "active gt true", "title gt 5",
                "userName eq 1e309", "externalId eq null", "title ne null", "name.givenName lt null",
                "urn:x:y eq \"a\"", "emails.value eq \"\ud800\"", "title eq \"\ud83d\ude00\"");
        for (String text : hostile) {
            try {
                store.users.search(store.tenant, UserSearch.byIndex(Filter.fromString(text), 1, 5));
            } catch (ScimException | BadRequestException refused) {
                // a 400 at the ingress
            } catch (RuntimeException e) {
                throw new AssertionError(text + " escaped as " + e, e);
            }
        }
    }

    @Test
    void everySortByIsRefusedAsAScimErrorOrRunsInPostgres() {
        Fuzz.run("sort-by-sql", CI_TRIES / 4, SORT_BYS, FilterSqlFuzzTest::sortBy);
    }

    @FuzzTest
    void everyFuzzedSortByIsRefusedAsAScimErrorOrRunsInPostgres(FuzzedDataProvider data) {
        Fuzz.once("sort-by-sql", data, SORT_BYS, FilterSqlFuzzTest::sortBy);
    }

    private static void sortBy(String sortBy) {
        store.users.search(store.tenant, new UserSearch(null, sortBy, sortBy.length() % 2 == 0, 1, 5, false, null));
    }

    private static Gen<String> attributes() {
        return Gen.frequency(weighted(9, Gen.of(NAMES)),
                weighted(1, Gen.strings(Gen.oneOf(Gen.chars('a', 'z'), Gen.chars(".:$")), 1, 10)));
    }

    private static Gen<String> literals() {
        Gen<String> text = Gen.strings(Gen.oneOf(Gen.chars(' ', '~'), Gen.chars("\u00e9\u4e2d\u0000")), 0, 16)
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        return Gen.oneOf(text, Gen.of("true", "false", "null", "\"True\"", "\"2026-01-01T00:00:00Z\"",
                "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"",
                "\"2026-02-30T25:61:00Z\"", "\"2026-01-01T00:00:00+18:00\"", "1e309", "-0", "99999999999999999999999",
                "3.14", "\"$.a\"", "\"' or 1=1 --\"", "\"%\"", "\"_\"", "\"\\\\\""), Gen.integers().map(String::valueOf));
    }

    static Gen<String> filters() {
        Gen<String> attributes = attributes();
        Gen<String> operator = Gen.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Sw", "pr");
        Gen<String> literals = literals();
        Gen<String> comparison = Gen.oneOf(
                r -> {
                    String a = attributes.next(r);
                    String op = operator.next(r);
                    String v = literals.next(r);
                    return op.equals("pr") ? a + " pr" : a + " " + op + " " + v;
                },
                attributes.map(a -> a + " pr"));
        Gen<String> andOrUpper = Gen.of("and", "or", "AND");
        Gen<String> andOr = Gen.of("and", "or");
        Gen<String> multiValued = Gen.of("emails", "phoneNumbers", "addresses", "name", "x509Certificates", "roles", "groups");
        return Gen.recursive(comparison, inner -> Gen.oneOf(
                r -> "(" + inner.next(r) + ") " + andOrUpper.next(r) + " (" + inner.next(r) + ")",
                r -> inner.next(r) + " " + andOr.next(r) + " " + inner.next(r),
                inner.map(f -> "not (" + f + ")"),
                r -> multiValued.next(r) + "[" + inner.next(r).replace("emails.", "").replace("name.", "") + "]",
                inner), 0, 4);
    }
}
