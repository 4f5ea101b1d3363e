package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.testing.TestInfrastructure;

/**
 * The system tests' pipeline stores in a PostgreSQL that commits durably, as the one of {@code scimflow up} does, and
 * so does the shared test fixture's server unless a run explicitly opted into its unsafe fast mode.
 */
class PipelineDatabaseIT {

    @Test
    void thePipelineUnderTestCommitsDurably() {
        assertThat(DurablePostgres.settings(JdbcClient.create(Pipeline.get().dataSource)))
                .containsEntry("fsync", "on").containsEntry("synchronous_commit", "on").containsEntry("full_page_writes", "on");
    }

    @Test
    void theSharedTestServerCommitsDurablyByDefault() {
        assumeFalse(Boolean.getBoolean(TestInfrastructure.UNSAFE_FAST_PROPERTY), "this run opted into the unsafe fast mode");
        TestInfrastructure.Database database = TestInfrastructure.newDatabase();
        JdbcClient jdbc = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(),
                database.username(), database.password()));

        assertThat(DurablePostgres.settings(jdbc))
                .containsEntry("fsync", "on").containsEntry("synchronous_commit", "on").containsEntry("full_page_writes", "on");
    }
}
