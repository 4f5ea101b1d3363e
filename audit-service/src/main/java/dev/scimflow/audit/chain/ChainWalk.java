package dev.scimflow.audit.chain;

import dev.scimflow.audit.chain.BrokenLink.Kind;

/**
 * One walk along a tenant's chain, record by record in chain order: where it started (checkpoint or genesis),
 * the last link that held, how many records held, and the first that did not.
 */
public final class ChainWalk {

    private final ChainHead checkpoint;
    private final ChainHead start;
    private ChainHead last;
    private long checked;
    private BrokenLink broken;

    ChainWalk(ChainHead checkpoint, ChainHead genesis) {
        this.checkpoint = checkpoint;
        this.start = checkpoint != null ? checkpoint : genesis;
        this.last = start;
    }

    void check(ChainedRecord record) {
        if (broken != null) {
            return;
        }
        ChainLink stored = record.storedLink();
        long expected = last.seq() + 1;
        String contentHash = record.content().hash();
        if (stored.seq() != expected) {
            broken = new BrokenLink(expected, record.eventId(), Kind.MISSING,
                    "records %d to %d are missing".formatted(expected, stored.seq() - 1));
        } else if (!contentHash.equals(stored.contentHash())) {
            broken = new BrokenLink(expected, record.eventId(), Kind.EDITED,
                    "the record's content was changed after it was recorded");
        } else if (!last.recordHash().equals(stored.previousHash())
                || !last.next(contentHash).recordHash().equals(stored.recordHash())) {
            broken = new BrokenLink(expected, record.eventId(), Kind.RELINKED,
                    "the record's hashes do not link it to the record before it");
        } else {
            last = stored.asHead();
            checked++;
        }
    }

    public boolean intact() {
        return broken == null;
    }

    /** The last link that held. */
    public ChainHead last() {
        return last;
    }

    public BrokenLink broken() {
        return broken;
    }

    ChainHead start() {
        return start;
    }

    /** Notes that the chain does not end where its head says; only when nothing broke before. */
    void headMismatch(BrokenLink mismatch) {
        broken = broken == null ? mismatch : broken;
    }

    ChainReport report(String tenant, ChainHead head) {
        return new ChainReport(tenant, broken == null, checked, checkpoint, head, broken);
    }
}
