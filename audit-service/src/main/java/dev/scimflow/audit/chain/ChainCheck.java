package dev.scimflow.audit.chain;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chain verification without the running service: what {@code scimflow audit verify} calls with the audit
 * database, when it does not ask the service's {@code GET /api/v1/chain/verify}. Reads one snapshot of the log.
 */
public final class ChainCheck {

    private ChainCheck() {
    }

    /** Verifies the tenant's chain, or every tenant's when {@code tenant} is null. */
    public static ChainVerification verify(DataSource auditDatabase, String tenant) {
        JdbcClient jdbc = JdbcClient.create(auditDatabase);
        ChainVerifier verifier = new ChainVerifier(jdbc, new TenantChain(jdbc));
        TransactionTemplate snapshot = new TransactionTemplate(new DataSourceTransactionManager(auditDatabase));
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        return snapshot.execute(status -> tenant == null ? verifier.verifyAll() : verifier.verify(tenant));
    }
}
