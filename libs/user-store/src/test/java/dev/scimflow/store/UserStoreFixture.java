package dev.scimflow.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.scim.ScimUsers;
import dev.scimflow.testing.TestInfrastructure;
import tools.jackson.databind.json.JsonMapper;

/** A migrated user store in a database of its own, for tests that query it. */
final class UserStoreFixture {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final DataSource dataSource;
    final Users users;
    final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

    UserStoreFixture() {
        TestInfrastructure.Database database = TestInfrastructure.newDatabase();
        dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(), database.password());
        UserStoreSchema.migrate(dataSource);
        new TenantTokens(dataSource).createTenant(tenant);
        users = new Users(dataSource);
    }

    StoredUser insert(String json, Instant created) {
        Instant at = created.truncatedTo(ChronoUnit.MICROS);
        StoredUser user = new StoredUser(tenant, UUID.randomUUID().toString(), ScimUsers.validateForWrite(JSON.readTree(json)), 1, at, at);
        users.insert(user);
        return user;
    }
}
