package dev.scimflow.audit.chain;

/**
 * The result of recomputing one tenant's chain.
 *
 * @param recordsChecked how many records were recomputed before the first broken link, or all of them
 * @param checkpoint     where verification started after retention removed older records; null when none was
 * @param head           the newest link as the chain head records it; null for a tenant without a chain
 * @param brokenLink     the first broken link; null when the chain is intact
 */
public record ChainReport(String tenant, boolean intact, long recordsChecked, ChainHead checkpoint, ChainHead head,
                          BrokenLink brokenLink) {
}
