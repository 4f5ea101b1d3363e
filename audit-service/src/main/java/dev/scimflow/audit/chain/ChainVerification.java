package dev.scimflow.audit.chain;

import java.util.List;

/** The verification of one or every tenant's chain: intact only when every one of them is. */
public record ChainVerification(boolean intact, List<ChainReport> tenants) {

    static ChainVerification of(List<ChainReport> reports) {
        return new ChainVerification(reports.stream().allMatch(ChainReport::intact), reports);
    }
}
