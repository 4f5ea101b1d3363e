package dev.scimflow.audit.chain;

/**
 * The newest link of a tenant's chain: its position and its record hash. Before the first record it is position
 * 0 with the tenant's genesis hash, so that one tenant's chain can never pass for another's.
 */
public record ChainHead(long seq, String recordHash) {

    public static ChainHead genesis(String tenant) {
        return new ChainHead(0, Sha256.hex(RecordContent.FORMAT + " genesis\n" + tenant));
    }

    /** The link a record with this content hash gets when appended after this head. */
    public ChainLink next(String contentHash) {
        long seq = this.seq + 1;
        return new ChainLink(seq, recordHash, contentHash, Sha256.hex(seq + "\n" + recordHash + "\n" + contentHash));
    }
}
