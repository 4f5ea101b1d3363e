package dev.scimflow.ops.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * {@code rebuild store --replace} keeps every table of the user store: each table the migrations create is either
 * rebuilt from the events or copied from the live store. A migration that adds a table without saying which fails here,
 * before a replaced store loses what it holds.
 */
class StoreReplacementTablesTest {

    private static final Pattern CREATE = Pattern.compile("create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");
    private static final Pattern DROP = Pattern.compile("drop\\s+table\\s+(?:if\\s+exists\\s+)?([a-z_][a-z0-9_]*)");

    @Test
    void everyTableTheMigrationsCreateIsEitherRebuiltFromEventsOrCopied() throws IOException {
        Set<String> tables = new HashSet<>();
        Resource[] migrations = new PathMatchingResourcePatternResolver().getResources("classpath*:db/userstore/V*.sql");
        assertThat(migrations).hasSizeGreaterThanOrEqualTo(10);
        for (Resource migration : migrations) {
            String sql = migration.getContentAsString(StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).replaceAll("--[^\n]*", "");
            Matcher created = CREATE.matcher(sql);
            while (created.find()) {
                tables.add(created.group(1));
            }
            Matcher dropped = DROP.matcher(sql);
            while (dropped.find()) {
                tables.remove(dropped.group(1));
            }
        }

        Set<String> listed = new HashSet<>(StoreReplacement.NOT_DERIVED);
        listed.addAll(StoreReplacement.DERIVED);
        assertThat(listed).as("tables of the migrations, each rebuilt or copied").containsExactlyInAnyOrderElementsOf(tables);
        assertThat(StoreReplacement.NOT_DERIVED).doesNotContainAnyElementsOf(StoreReplacement.DERIVED)
                .contains("oauth_authorizations", "oauth_consents");
    }
}
