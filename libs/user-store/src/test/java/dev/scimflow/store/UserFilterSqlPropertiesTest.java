package dev.scimflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.utils.FilterEvaluator;

import dev.scimflow.scim.UserSchema;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Filter → SQL agrees with the SDK's in-memory evaluation of the same filter (its {@code FilterEvaluator},
 * told the User schema's caseExact flags): on a store of generated users, every generated filter selects
 * in PostgreSQL exactly the users the SDK says it matches.
 */
class UserFilterSqlPropertiesTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final List<String> WORDS = List.of("ann", "Bob", "cara", "DAN", "eve", "Ann", "bo", "x_y", "100%", "o'neil");
    private static final List<String> DEPARTMENTS = List.of("Sales", "sales", "Engineering", "eng");
    private static final List<String> TYPES = List.of("work", "home", "Work");

    private static UserStoreFixture store;
    private static List<StoredUser> stored;

    @BeforeContainer
    static void storeOfGeneratedUsers() {
        store = new UserStoreFixture();
        stored = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 80; i++) {
            stored.add(store.insert(user(random, i), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
        }
    }

    @Property(tries = 400, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void sqlSelectsExactlyTheUsersTheSdkMatches(@ForAll("filters") String filterText) throws Exception {
        Filter filter = Filter.fromString(filterText);

        Set<String> bySql = new TreeSet<>();
        store.users.search(store.tenant, UserSearch.byIndex(filter, 1, 1000)).users().forEach(u -> bySql.add(u.id()));
        Set<String> bySdk = new TreeSet<>();
        for (StoredUser user : stored) {
            if (filter.visit(new SchemaAwareEvaluator(), user.toResource(null))) {
                bySdk.add(user.id());
            }
        }

        assertThat(bySql).as(filterText).isEqualTo(bySdk);
    }

    @Provide
    Arbitrary<String> filters() {
        return Arbitraries.recursive(this::comparison, this::combined, 0, 3);
    }

    private Arbitrary<String> combined(Arbitrary<String> inner) {
        return Arbitraries.oneOf(
                Combinators.combine(inner, inner, Arbitraries.of("and", "or")).as((a, b, op) -> "(" + a + ") " + op + " (" + b + ")"),
                inner.map(f -> "not (" + f + ")"),
                inner);
    }

    private Arbitrary<String> comparison() {
        Arbitrary<String> stringAttribute = Arbitraries.of("userName", "displayName", "name.givenName", "name.familyName",
                "title", "externalId", "emails.value", "emails.type", ENTERPRISE + ":department", "role", "nickName");
        Arbitrary<String> operator = Arbitraries.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le");
        Arbitrary<String> word = Arbitraries.of(WORDS).flatMap(w -> Arbitraries.integers().between(0, w.length())
                .map(end -> w.substring(0, Math.max(1, end))));
        Arbitrary<String> value = Arbitraries.oneOf(word, Arbitraries.of(DEPARTMENTS), Arbitraries.of(TYPES),
                Arbitraries.of("member", "guest", "OWNER", "@example.com", "ann@example.com"));
        Arbitrary<String> stringComparison = Combinators.combine(stringAttribute, operator, value)
                .as((a, op, v) -> a + " " + op + " \"" + v.replace("\"", "\\\"") + "\"");
        Arbitrary<String> presence = stringAttribute.map(a -> a + " pr");
        Arbitrary<String> active = Combinators.combine(Arbitraries.of("eq", "ne"), Arbitraries.of("true", "false"))
                .as((op, v) -> "active " + op + " " + v);
        Arbitrary<String> valueFilter = Combinators.combine(Arbitraries.of(TYPES), Arbitraries.of("eq", "co", "ne"), word)
                .as((type, op, w) -> "emails[type eq \"" + type + "\" and value " + op + " \"" + w + "\"]");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, stringComparison),
                net.jqwik.api.Tuple.of(1, presence),
                net.jqwik.api.Tuple.of(1, active),
                net.jqwik.api.Tuple.of(2, valueFilter));
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
