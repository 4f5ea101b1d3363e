package dev.scimflow.store;

import static dev.scimflow.scim.Gen.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.utils.FilterEvaluator;

import dev.scimflow.scim.Gen;
import dev.scimflow.scim.PropertyCase;
import dev.scimflow.scim.UserSchema;

/**
 * Filter → SQL agrees with the SDK's in-memory evaluation of the same filter (its {@code FilterEvaluator},
 * told the User schema's caseExact flags): on a store of generated users, every generated filter selects
 * in PostgreSQL exactly the users the SDK says it matches. 400 generated filters, the same every run (see
 * {@link PropertyCase}); a failing case names its number and seed, and shows its filter.
 */
class UserFilterSqlPropertiesTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final List<String> WORDS = List.of("ann", "Bob", "cara", "DAN", "eve", "Ann", "bo", "x_y", "100%", "o'neil");
    private static final List<String> DEPARTMENTS = List.of("Sales", "sales", "Engineering", "eng");
    private static final List<String> TYPES = List.of("work", "home", "Work");

    private static UserStoreFixture store;
    private static List<StoredUser> stored;

    @BeforeAll
    static void storeOfGeneratedUsers() {
        store = new UserStoreFixture();
        stored = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 80; i++) {
            stored.add(store.insert(user(random, i), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("filters")
    void sqlSelectsExactlyTheUsersTheSdkMatches(PropertyCase example, String filterText) throws Exception {
        Filter filter = Filter.fromString(filterText);

        Set<String> bySql = new TreeSet<>();
        store.users.search(store.tenant, UserSearch.byIndex(filter, 1, 1000)).users().forEach(u -> bySql.add(u.id()));
        Set<String> bySdk = new TreeSet<>();
        for (StoredUser user : stored) {
            if (filter.visit(new SchemaAwareEvaluator(), user.toResource(null))) {
                bySdk.add(user.id());
            }
        }

        assertThat(bySql).as("%s: %s", example, filterText).isEqualTo(bySdk);
    }

    static Stream<Arguments> filters() {
        Gen<String> filters = Gen.recursive(comparison(), UserFilterSqlPropertiesTest::combined, 0, 3);
        return PropertyCase.cases(20_261_208L, 400).map(example -> Arguments.of(example, filters.next(example.random())));
    }

    private static Gen<String> combined(Gen<String> inner) {
        Gen<String> andOr = Gen.of("and", "or");
        return Gen.oneOf(
                r -> "(" + inner.next(r) + ") " + andOr.next(r) + " (" + inner.next(r) + ")",
                inner.map(f -> "not (" + f + ")"),
                inner);
    }

    private static Gen<String> comparison() {
        Gen<String> stringAttribute = Gen.of("userName", "displayName", "name.givenName", "name.familyName",
                "title", "externalId", "emails.value", "emails.type", ENTERPRISE + ":department", "role", "nickName");
        Gen<String> operator = Gen.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le");
        Gen<String> word = Gen.of(WORDS).flatMap(w -> Gen.integers(0, w.length()).map(end -> w.substring(0, Math.max(1, end))));
        Gen<String> value = Gen.oneOf(word, Gen.of(DEPARTMENTS), Gen.of(TYPES),
                Gen.of("member", "guest", "OWNER", "@example.com", "ann@example.com"));
        Gen<String> stringComparison = r -> {
            String a = stringAttribute.next(r);
            String op = operator.next(r);
            String v = value.next(r);
            return a + " " + op + " \"" + v.replace("\"", "\\\"") + "\"";
        };
        Gen<String> presence = stringAttribute.map(a -> a + " pr");
        Gen<String> activeOperator = Gen.of("eq", "ne");
        Gen<String> booleans = Gen.of("true", "false");
        Gen<String> active = r -> "active " + activeOperator.next(r) + " " + booleans.next(r);
        Gen<String> types = Gen.of(TYPES);
        Gen<String> valueOperator = Gen.of("eq", "co", "ne");
        Gen<String> valueFilter = r -> {
            String type = types.next(r);
            String op = valueOperator.next(r);
            String w = word.next(r);
            return "emails[type eq \"" + type + "\" and value " + op + " \"" + w + "\"]";
        };
        return Gen.frequency(
                weighted(6, stringComparison),
                weighted(1, presence),
                weighted(1, active),
                weighted(2, valueFilter));
    }

    /** The SDK's evaluator, told which attributes are caseExact (it assumes none are otherwise). */
    private static final class SchemaAwareEvaluator extends FilterEvaluator {
        @Override
        protected AttributeDefinition getAttributeDefinition(Path path) {
            if (path.size() == 0) {
                return null;
            }
            AttributeDefinition attribute = UserSchema.lookup(path.getSchemaUrn(), path.getElement(0).getAttribute()).orElse(null);
            if (attribute == null || path.size() == 1 || attribute.getSubAttributes() == null) {
                return attribute;
            }
            return attribute.getSubAttributes().stream()
                    .filter(sub -> sub.getName().equalsIgnoreCase(path.getElement(1).getAttribute())).findFirst().orElse(null);
        }
    }

    private static String user(Random random, int i) {
        StringBuilder json = new StringBuilder("{\"userName\":\"" + pick(random, WORDS) + i + "@Example.com\"");
        if (random.nextBoolean()) {
            json.append(",\"displayName\":\"").append(pick(random, WORDS)).append(' ').append(pick(random, WORDS)).append('"');
        }
        if (random.nextInt(3) > 0) {
            json.append(",\"name\":{\"givenName\":\"").append(pick(random, WORDS)).append("\"");
            if (random.nextBoolean()) {
                json.append(",\"familyName\":\"").append(pick(random, WORDS)).append('"');
            }
            json.append('}');
        }
        if (random.nextBoolean()) {
            json.append(",\"title\":\"").append(pick(random, WORDS)).append('"');
        }
        if (random.nextBoolean()) {
            json.append(",\"externalId\":\"").append(pick(random, WORDS)).append('"');
        }
        if (random.nextBoolean()) {
            json.append(",\"nickName\":\"").append(pick(random, WORDS)).append('"');
        }
        json.append(",\"active\":").append(random.nextInt(4) > 0);
        json.append(",\"role\":\"").append(pick(random, List.of("member", "guest", "owner", "moderator"))).append('"');
        int emails = random.nextInt(3);
        if (emails > 0) {
            json.append(",\"emails\":[");
            for (int e = 0; e < emails; e++) {
                json.append(e == 0 ? "" : ",").append("{\"value\":\"").append(pick(random, WORDS)).append('@')
                        .append(pick(random, List.of("example.com", "Example.org"))).append("\",\"type\":\"")
                        .append(pick(random, TYPES)).append("\"}");
            }
            json.append(']');
        }
        if (random.nextBoolean()) {
            json.append(",\"").append(ENTERPRISE).append("\":{\"department\":\"").append(pick(random, DEPARTMENTS)).append("\"}");
        }
        return json.append('}').toString();
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
