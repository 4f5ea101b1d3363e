package dev.scimflow.audit.chain;

/**
 * The first place where a tenant's chain does not hold.
 *
 * @param seq     the position at which it breaks
 * @param eventId the id of the record found there, if any (none when records are missing at the end)
 * @param kind    what is wrong, in one word an operator can act on
 * @param detail  the same in a sentence
 */
public record BrokenLink(long seq, String eventId, Kind kind, String detail) {

    public enum Kind {
        /** One or more records were removed from the middle or the start of the chain. */
        MISSING,
        /** The record's content no longer matches the content hash it was recorded with. */
        EDITED,
        /** The record's hashes do not link it to the record before it. */
        RELINKED,
        /** The chain ends elsewhere than its head says: newest records were removed or replaced. */
        HEAD_MISMATCH
    }
}
