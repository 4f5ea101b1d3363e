package dev.scimflow.ops.bench;

import java.util.concurrent.Callable;

import dev.scimflow.bench.BenchError;
import dev.scimflow.bench.StoreWalk;
import dev.scimflow.ops.OperatorError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scimflow bench walk}: lookups and paging through a store seeded by {@code scimflow bench seed}. */
@Command(name = "walk", mixinStandardHelpOptions = true, description = {
        "Reads a store seeded by `scimflow bench seed` through the SCIM API, one request at a time: 1,000"
                + " `externalId eq` and `userName eq` lookups of random seeded users (after 100 warm-up requests each),"
                + " a cursor-paged walk of at most PAGES pages of 1,000 users (reported by tenths of the walk) and five"
                + " index-paged pages near the end. Prints p50/p90/p99/max per part."}, footer = {"", "Example:",
                        "  scimflow bench walk http://127.0.0.1:8080/scim/v2 \"$TOKEN\" 1000000 1001"})
public final class BenchWalkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCIM_BASE_URL", description = "e.g. http://127.0.0.1:8080/scim/v2")
    String scimBaseUrl;

    @Parameters(index = "1", paramLabel = "TOKEN", description = "A SCIM token of the seeded tenant.")
    String token;

    @Parameters(index = "2", paramLabel = "SEEDED_USERS", description = "The COUNT given to `scimflow bench seed`.")
    int users;

    @Parameters(index = "3", paramLabel = "PAGES", description = "At most this many cursor pages of 1,000 users.")
    int pages;

    @Override
    public Integer call() throws Exception {
        if (users < 1 || pages < 1) {
            throw new OperatorError("SEEDED_USERS and PAGES must be at least 1");
        }
        try {
            new StoreWalk(scimBaseUrl, token).run(users, pages, spec.commandLine().getOut());
        } catch (BenchError e) {
            throw new OperatorError(e.getMessage(), e);
        }
        return 0;
    }
}
