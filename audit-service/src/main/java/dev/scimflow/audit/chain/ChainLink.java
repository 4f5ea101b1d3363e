package dev.scimflow.audit.chain;

/**
 * A record's place in its tenant's chain: its position, the record hash of the one before it, the hash of its
 * own content, and its record hash = SHA-256 of "seq \n previousHash \n contentHash".
 */
public record ChainLink(long seq, String previousHash, String contentHash, String recordHash) {

    public ChainHead asHead() {
        return new ChainHead(seq, recordHash);
    }
}
