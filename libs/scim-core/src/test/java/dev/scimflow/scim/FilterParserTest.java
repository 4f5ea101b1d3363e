package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Filters as IdPs and strict clients send them: every malformed one is invalidFilter; Entra's value path with a sub-attribute works. */
class FilterParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "emails[type eq \"work\"",
            "emails[type eq \"work\" and value co \"@x\"",
            "(userName eq \"a\"",
            "userName eq \"a\")",
            "emails[type eq \"work\")",
            "userName eq \"a",
            "emails[type eq \"work\"]]",
            "userName eq \"a\" and",
            "emails[type eq \"work\"].value",
            "emails[type eq \"work\"].value eq",
            "userName eq \"a\" xyz"})
    void aMalformedFilterIsInvalidFilter(String filter) {
        assertThatThrownBy(() -> FilterParser.parse(filter)).as(filter)
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isEqualTo("invalidFilter");
                    assertThat(e.detail()).doesNotContain("Source:");
                });
    }

    @Test
    void entrasWorkEmailMatchIsAValueFilterWithTheSubAttributeInside() {
        assertThat(FilterParser.parse("emails[type eq \"work\"].value eq \"ada@example.com\"").toString())
                .isEqualTo("emails[(type eq \"work\" and value eq \"ada@example.com\")]");
    }

    @Test
    void theRewriteKeepsQuotedBracketsAndWorksInsideLargerFilters() {
        assertThat(FilterParser.parse("userName eq \"x].y\" or emails[type eq \"work\"].value sw \"a]b\"").toString())
                .isEqualTo("(userName eq \"x].y\" or emails[(type eq \"work\" and value sw \"a]b\")])");
        assertThat(FilterParser.parse("(addresses[type eq \"work\"].locality pr) and active eq true").toString())
                .isEqualTo("(addresses[(type eq \"work\" and locality pr)] and active eq true)");
        assertThat(FilterParser.parse("emails[type eq \"work\"].primary EQ true").toString())
                .isEqualTo("emails[(type eq \"work\" and primary eq true)]");
    }

    @Test
    void wellFormedFiltersParseAsTheSdkParsesThem() {
        assertThat(FilterParser.parse("emails[type eq \"work\" and value co \"@x\"]").toString())
                .isEqualTo("emails[(type eq \"work\" and value co \"@x\")]");
        assertThat(FilterParser.parse("userName eq \"a\\\"(b\"").toString()).isEqualTo("userName eq \"a\\\"(b\"");
    }

    @Test
    void aPatchPathWithAnUnclosedOrTrailingValueFilterIsInvalidPath() {
        for (String path : new String[]{"emails[type eq \"work\"", "emails[type eq \"work\"]x", "emails[type eq \"work\"].value]"}) {
            assertThatThrownBy(
                    () -> UserPatch.parse(Json.patch("[{\"op\":\"replace\",\"path\":" + Json.parse("\"" + path.replace("\"", "\\\"") + "\"")
                            + ",\"value\":\"x\"}]")))
                    .as(path)
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidPath"));
        }
    }
}
