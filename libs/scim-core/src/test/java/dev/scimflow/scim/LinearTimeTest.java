package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * No client input takes more than linear time in scim-core: for each parser and engine, an input ten times
 * larger must take less than thirty times as long (median of many runs after warm-up, the best of three such
 * measurements, so that a pause on a shared machine does not decide), and the largest request the limits allow must finish well within a second.
 */
class LinearTimeTest {

    private static final String PATCH_OP = ScimSchemas.PATCH_OP;
    private static final double MAX_RATIO = 30.0;
    private static final int ATTEMPTS = 3;

    @Test
    void patchParsingAndApplicationGrowLinearlyWithTheNumberOfOperations() {
        ObjectNode stored = userWithEmails(4);
        assertLinear("PATCH operations", 20, n -> () -> UserPatch.parse(patchOf(n)).applyTo(stored));
    }

    @Test
    void patchApplicationGrowsLinearlyWithTheSizeOfTheStoredUser() {
        UserPatch patch = UserPatch.parse(patchOf(4));
        assertLinear("stored emails", 30, n -> {
            ObjectNode stored = userWithEmails(n);
            return () -> patch.applyTo(stored);
        });
    }

    @Test
    void patchPathsGrowLinearlyWithTheirLength() {
        assertLinear("path literal length", 20, n -> {
            JsonNode body = Json
                    .patch("[{\"op\":\"replace\",\"path\":\"emails[value eq \\\"" + "a".repeat(n) + "\\\"].type\",\"value\":\"work\"}]");
            return () -> UserPatch.parse(body);
        });
    }

    @Test
    void userValidationGrowsLinearlyWithTheNumberOfValuesAndTheLengthOfStrings() {
        assertLinear("emails in a user", 100, n -> {
            JsonNode body = userWithEmails(n);
            return () -> ScimUsers.validateForWrite(body);
        });
        assertLinear("userName length", 500, n -> {
            JsonNode body = Json.parse("{\"userName\":\"" + "u".repeat(n) + "\"}");
            return () -> ScimUsers.validateForWrite(body);
        });
    }

    @Test
    void theLargestPatchTheLimitsAllowIsAnsweredWithinTwoSecondsInsteadOfHoldingTheWorker() {
        // 1000 operations, 100 of them with a value filter as long as the path limit allows, on a user with 2000
        // emails (about what the 256 KB body limit lets a user hold): parsed, then refused before one is applied
        StringBuilder filter = new StringBuilder("type eq \\\"work\\\"");
        while (filter.length() < UserPatch.MAX_PATH_LENGTH - 40) {
            filter.append(" or value eq \\\"x\\\"");
        }
        String filtered = "{\"op\":\"replace\",\"path\":\"emails[" + filter + "].display\",\"value\":\"d\"}";
        String plain = "{\"op\":\"replace\",\"path\":\"title\",\"value\":\"t\"}";
        StringBuilder operations = new StringBuilder("[");
        for (int i = 0; i < UserPatch.MAX_OPERATIONS; i++) {
            operations.append(i == 0 ? "" : ",").append(i < UserPatch.MAX_FILTERED_OPERATIONS ? filtered : plain);
        }
        JsonNode largest = Json.patch(operations.append("]").toString());
        JsonNode tooManyFiltered = Json
                .patch("[" + String.join(",", java.util.Collections.nCopies(UserPatch.MAX_FILTERED_OPERATIONS + 1, filtered)) + "]");
        ObjectNode stored = userWithEmails(2000);

        long start = System.nanoTime();
        assertThatThrownBy(() -> UserPatch.parse(largest).applyTo(stored))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("tooMany"));
        assertThatThrownBy(() -> UserPatch.parse(tooManyFiltered))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("tooMany"));
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.println("largest PATCH refused in " + millis + " ms");
        assertThat(millis).isLessThan(2_000);
    }

    @Test
    void aPatchUsingTheWholeComparisonBudgetIsAppliedWithinASecondOrTwo() {
        // 1 filtered operation on 500 emails: 1 x 500 x 2 = the whole budget of comparisons
        JsonNode body = Json.patch("[" + String.join(",", java.util.Collections.nCopies(1,
                "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].display\",\"value\":\"w\"}")) + "]");
        ObjectNode stored = userWithEmails(500);
        UserPatch patch = UserPatch.parse(body);
        patch.applyTo(stored);

        long start = System.nanoTime();
        patch.applyTo(stored);
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.println("PATCH at the comparison budget: " + millis + " ms");
        assertThat(millis).isLessThan(2_000);
    }

    /**
     * The best of up to {@link #ATTEMPTS} measurements: a quadratic step takes about 100x the time in each of them, while
     * a pause of the machine (or a compilation, a collection) during one of them cannot fail the test by chance.
     */
    private static void assertLinear(String what, int n, IntFunction<Runnable> input) {
        Runnable small = input.apply(n);
        Runnable large = input.apply(10 * n);
        double best = Double.MAX_VALUE;
        for (int attempt = 1; attempt <= ATTEMPTS && best >= MAX_RATIO; attempt++) {
            long smallNanos = median(small);
            long largeNanos = median(large);
            double ratio = (double) largeNanos / Math.max(1, smallNanos);
            System.out.printf("linear-time %s: n=%d %.3f ms, 10n %.3f ms, ratio %.1f (attempt %d)%n", what, n, smallNanos / 1e6,
                    largeNanos / 1e6, ratio, attempt);
            best = Math.min(best, ratio);
        }
        assertThat(best).as(what + ": 10x the input took " + best + "x the time at best of " + ATTEMPTS).isLessThan(MAX_RATIO);
    }

    private static long median(Runnable run) {
        for (int i = 0; i < 30; i++) {
            run.run();
        }
        long[] times = new long[41];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            run.run();
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    private static ObjectNode userWithEmails(int n) {
        StringBuilder emails = new StringBuilder();
        for (int i = 0; i < n; i++) {
            emails.append(i == 0 ? "" : ",").append("{\"value\":\"u").append(i).append("@example.com\",\"type\":\"")
                    .append(i % 3 == 0 ? "work" : "home").append("\"}");
        }
        return ScimUsers.validateForWrite(Json.parse("{\"userName\":\"ann@example.com\",\"emails\":[" + emails + "]}"));
    }

    private static JsonNode patchOf(int operations) {
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i < operations; i++) {
            String op = switch (i % 4) {
                case 0 -> "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].display\",\"value\":\"w" + i + "\"}";
                case 1 -> "{\"op\":\"add\",\"path\":\"title\",\"value\":\"t" + i + "\"}";
                case 2 -> "{\"op\":\"replace\",\"value\":{\"name.givenName\":\"g" + i + "\",\"active\":\"False\"}}";
                default -> "{\"op\":\"remove\",\"path\":\"phoneNumbers[type eq \\\"fax\\\"]\"}";
            };
            ops.append(i == 0 ? "" : ",").append(op);
        }
        return Json.patch(ops.append("]").toString());
    }
}
