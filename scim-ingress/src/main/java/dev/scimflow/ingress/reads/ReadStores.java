package dev.scimflow.ingress.reads;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.scimflow.ingress.changes.OutcomeReader;
import dev.scimflow.store.Groups;
import dev.scimflow.store.Users;
import dev.scimflow.store.WalPositions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where the ingress's reads go: the primary, or, when {@code scimflow.ingress.read.jdbc-url} names a streaming replica,
 * the replica whenever it has replayed at least as far as {@link ReadYourWrites} requires for the tenant, so that a
 * tenant reads its acknowledged writes wherever the read is served. A thread asks the replica every
 * {@code replay-check-interval} how far it has replayed; while it cannot be reached, reads go to the primary, and a
 * read the replica fails for want of a connection (or cancels in a conflict with recovery) is served again by the
 * primary, so a replica that dies costs reads time, not errors. Token checks, outcome look-ups and everything else
 * stay on the primary. {@code scimflow_ingress_reads_total{store}} counts the reads each served.
 */
@Component
public class ReadStores implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadStores.class);

    /** The user and group tables of one server, and a read-only repeatable-read transaction there (a group's snapshot). */
    public record Store(String name, Users users, Groups groups, TransactionTemplate snapshot) {

        static Store of(String name, Users users, Groups groups, PlatformTransactionManager transactions) {
            TransactionTemplate snapshot = new TransactionTemplate(transactions);
            snapshot.setReadOnly(true);
            snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
            return new Store(name, users, groups, snapshot);
        }
    }

    private final Store primary;
    private final Store replica;
    private final HikariDataSource replicaPool;
    private final ReadYourWrites writes;
    private final Counter primaryReads;
    private final Counter replicaReads;
    private final ScheduledExecutorService checks;
    private final WalPositions primaryWal;
    private final WalPositions replicaWal;
    private final OutcomeReader outcomes;
    private volatile long replayed = -1;
    private volatile boolean reachable;

    ReadStores(DataSource dataSource, Users users, Groups groups, PlatformTransactionManager transactions, ReadProperties properties,
               ReadYourWrites writes, OutcomeReader outcomes, Environment environment, MeterRegistry meters) {
        this.primary = Store.of("primary", users, groups, transactions);
        this.writes = writes;
        this.outcomes = outcomes;
        this.primaryWal = new WalPositions(dataSource);
        this.primaryReads = reads(meters, "primary");
        this.replicaReads = reads(meters, "replica");
        if (!properties.replicaConfigured()) {
            replica = null;
            replicaPool = null;
            replicaWal = null;
            checks = null;
            return;
        }
        replicaPool = pool(properties, environment);
        replica = Store.of("replica", new Users(replicaPool), new Groups(replicaPool), new JdbcTransactionManager(replicaPool));
        replicaWal = new WalPositions(replicaPool);
        checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "replica-replay-check");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.replayCheckInterval().toMillis();
        checks.scheduleWithFixedDelay(this::check, 0, interval, TimeUnit.MILLISECONDS);
        log.info("reads go to the replica at {} once it has replayed a tenant's writes", properties.jdbcUrl());
    }

    private static Counter reads(MeterRegistry meters, String store) {
        return Counter.builder("scimflow.ingress.reads").tag("store", store)
                .description("SCIM reads (GET, lists, filters, .search) by the store that served them").register(meters);
    }

    /** Not a bean: the replica's pool stays out of the readiness check, which a replica that is down must not fail. */
    private static HikariDataSource pool(ReadProperties properties, Environment environment) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("replica");
        config.setJdbcUrl(properties.jdbcUrl());
        config.setUsername(orElse(properties.username(), environment.getProperty("spring.datasource.username")));
        config.setPassword(orElse(properties.password(), environment.getProperty("spring.datasource.password")));
        config.setMaximumPoolSize(environment.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 10));
        config.setConnectionTimeout(properties.connectionTimeout().toMillis());
        config.setReadOnly(true);
        // the ingress starts, and reads from the primary, while the replica is down
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static String orElse(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** Runs a read of the tenant's on the replica when it has replayed far enough, otherwise (or should it fail) on the primary. */
    public <T> T read(String tenant, Function<Store, T> read) {
        if (replica != null && reachable && replayed >= writes.required(tenant)) {
            try {
                T result = read.apply(replica);
                replicaReads.increment();
                return result;
            } catch (DataAccessResourceFailureException | RecoverableDataAccessException | CannotCreateTransactionException e) {
                reachable = false;
                log.warn("the replica failed a read ({}); reads go to the primary until it answers again", rootMessage(e));
            } catch (TransientDataAccessException e) {
                log.info("the replica cancelled a read ({}); serving it from the primary", rootMessage(e));
            }
        }
        T result = read.apply(primary);
        primaryReads.increment();
        return result;
    }

    /**
     * A write of the tenant is known to be committed (its outcome was read from the primary's applied-change table, not
     * from {@code scim.outcomes}): the primary's position now is past it.
     */
    public void writtenOnPrimary(String tenant) {
        if (replica != null) {
            writes.written(tenant, primaryWal.current());
        }
    }

    private void check() {
        try {
            if (!writes.started() && outcomes.ready()) {
                // after the outcome reader took its position: every write acknowledged before it is at or before this
                writes.startingFrom(primaryWal.current());
            }
        } catch (RuntimeException e) {
            log.debug("the primary's WAL position is not known yet: {}", e.toString());
        }
        try {
            replayed = replicaWal.replayed().orElse(Long.MAX_VALUE);
            if (!reachable) {
                log.info("the replica answers; a tenant's reads go to it once it has replayed the tenant's writes");
            }
            reachable = true;
        } catch (RuntimeException e) {
            if (reachable) {
                log.warn("the replica cannot be reached ({}); reads go to the primary", rootMessage(e));
            }
            reachable = false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    @Override
    public void close() {
        if (checks != null) {
            checks.shutdownNow();
            replicaPool.close();
        }
    }
}
