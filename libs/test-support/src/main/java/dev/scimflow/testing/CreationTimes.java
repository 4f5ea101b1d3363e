package dev.scimflow.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creation times for resources a test stores directly, each a millisecond after the one before. Lists and cursors
 * order by (created, id): resources stored within the same millisecond would come back in the order of their random
 * ids, not in the order the test stored them, and a test that expects its own order would fail by chance.
 */
public final class CreationTimes {

    private static final AtomicReference<Instant> LAST = new AtomicReference<>(Instant.EPOCH);

    private CreationTimes() {
    }

    /** Now at millisecond precision, or one millisecond after the previous time handed out if that is later. */
    public static Instant next() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return LAST.updateAndGet(last -> now.isAfter(last) ? now : last.plusMillis(1));
    }
}
