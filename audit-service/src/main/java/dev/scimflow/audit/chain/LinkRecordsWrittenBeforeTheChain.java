package dev.scimflow.audit.chain;

import java.util.List;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Schema migration 3 of the audit schema: links the records written before the chain existed (migration 1) into
 * their tenant's chain, oldest first, then makes every chain column mandatory. Java, because the hashes are
 * computed exactly as appends and verification compute them. Spring Boot hands this bean to Flyway.
 */
@Component
public class LinkRecordsWrittenBeforeTheChain implements JavaMigration {

    private record Unlinked(long id, ChainedRecord record) {
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("3");
    }

    @Override
    public String getDescription() {
        return "link records written before the chain";
    }

    @Override
    public Integer getChecksum() {
        return 3;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) {
        JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(context.getConnection(), true));
        List<Unlinked> unlinked = jdbc.sql("select id, " + ChainedRecord.COLUMNS
                + " from audit.deactivations where chain_seq is null order by tenant, id")
                .query((rs, row) -> new Unlinked(rs.getLong("id"), ChainedRecord.of(rs))).list();
        TenantChain chain = new TenantChain(jdbc);
        for (Unlinked row : unlinked) {
            String tenant = row.record().content().tenant();
            ChainLink link = chain.lockHead(tenant).next(row.record().content().hash());
            jdbc.sql("""
                    update audit.deactivations set chain_seq = :seq, previous_hash = :previousHash,
                        content_hash = :contentHash, record_hash = :recordHash where id = :id""")
                    .param("seq", link.seq()).param("previousHash", link.previousHash())
                    .param("contentHash", link.contentHash()).param("recordHash", link.recordHash())
                    .param("id", row.id()).update();
            chain.advance(tenant, link);
        }
        jdbc.sql("""
                alter table audit.deactivations alter column chain_seq set not null,
                    alter column previous_hash set not null, alter column content_hash set not null,
                    alter column record_hash set not null""").update();
    }
}
