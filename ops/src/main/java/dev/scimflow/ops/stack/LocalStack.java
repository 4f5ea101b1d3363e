package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.scimflow.ops.Installation;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.OperatorToken;
import dev.scimflow.ops.Progress;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.UserStoreSchema;

/**
 * The whole system on one machine, each part its own process as in production: PostgreSQL, a Kafka broker (or a
 * cluster of three, each node its own supervised process) and the services, on one data directory that survives restarts. {@link #start} returns once every part is ready;
 * parts that die are restarted; {@link #close} (also run on SIGTERM / Ctrl-C) stops the services, then the broker,
 * then the database, and leaves no process behind. If this process dies without closing (SIGKILL), its
 * {@link Watchdog} stops the parts.
 */
public final class LocalStack implements AutoCloseable {

    // within the 15 s a stop may take: services and broker get 4 s each to exit by themselves (their SIGKILL then takes
    // effect at once), PostgreSQL up to 5 s for `pg_ctl stop -m fast` and 1 s more before it is killed
    private static final Duration SERVICE_GRACE = Duration.ofSeconds(4);
    private static final Duration BROKER_GRACE = Duration.ofSeconds(4);
    private static final Duration DATABASE_GRACE = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(250);

    /** How long the class data sharing training run of a service may take (the first start after a build). */
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);

    private final StackOptions options;
    private final DataDir dataDir;
    private final Installation installation;
    private final Progress progress;
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "scimflow-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread shutdownHook = new Thread(this::close, "scimflow-stop");
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final Object state = new Object();
    private boolean stopping;
    // written by the starting thread, read by close() on another (a signal's)
    private volatile DataDirLock lock;
    private volatile LocalPostgres postgres;
    private volatile KafkaBroker broker;
    private volatile SupervisedPart database;
    // one per Kafka node, node 1 first (the broker above)
    private volatile List<SupervisedPart> kafka = List.of();
    private volatile LocalReplica replica;
    private volatile SupervisedPart replicaPart;
    private final Map<Service, SupervisedPart> services = new EnumMap<>(Service.class);
    private volatile ReadyLine readyLine;
    private volatile ServiceLaunch launch;
    private volatile Process watchdog;

    private LocalStack(StackOptions options, Installation installation, Progress progress) {
        this.options = options;
        this.dataDir = new DataDir(options.dataDir());
        this.installation = installation;
        this.progress = progress;
    }

    /** Starts every part and returns when all are ready; on failure, stops what it started and throws. */
    public static LocalStack start(StackOptions options, Installation installation, Progress progress) {
        // logging initialised here, before threads of the start race to be the first to log (SLF4J warns then)
        org.slf4j.LoggerFactory.getILoggerFactory();
        LocalStack stack = new LocalStack(options, installation, progress);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.run();
            return stack;
        } catch (Exception e) {
            stack.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new OperatorError("the stack did not start: " + e, e);
        }
    }

    public ReadyLine readyLine() {
        return readyLine;
    }

    public DataDir dataDir() {
        return dataDir;
    }

    /** Blocks until the stack has been stopped (by {@link #close} from another thread, or a signal). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void run() throws Exception {
        Files.createDirectories(dataDir.logs());
        lock = DataDirLock.tryAcquire(dataDir).orElseThrow(() -> new OperatorError(dataDir.root()
                + " is in use by another scimflow process: a running stack (see `scimflow status --data-dir "
                + dataDir.root() + "`) or a command that uses its database"));
        Leftovers.stop(dataDir, progress);
        watchdog = Watchdog.start(dataDir);
        Ports.requireFree(options.ports());
        Map<Service, Path> jars = new EnumMap<>(Service.class);
        options.services().forEach(service -> jars.put(service, installation.serviceJar(service.module())));
        Instant deadline = startedAt.plus(options.readyTimeout());

        postgres = new LocalPostgres(dataDir, options.postgresPort(), false);
        KafkaBroker.requireSameSize(dataDir, options.kafkaBrokers());
        List<BrokerProperties.Node> nodes = KafkaBroker.nodes(options.kafkaBrokers(), options.kafkaPort(), options.kafkaControllerPort());
        List<KafkaBroker> brokers = nodes.stream().map(node -> new KafkaBroker(installation, dataDir, node.id(), nodes)).toList();
        broker = brokers.get(0);
        database = supervise(postgres);
        List<SupervisedPart> kafkaNodes = new ArrayList<>();
        for (KafkaBroker node : brokers) {
            kafkaNodes.add(supervise(node));
        }
        kafka = List.copyOf(kafkaNodes);
        // the broker starts while PostgreSQL starts and the user store is migrated; the nodes of a cluster all start
        // before any is waited for, as none is ready before a majority of the controller quorum is up
        CompletableFuture<List<String>> topics = CompletableFuture.supplyAsync(() -> {
            try {
                for (SupervisedPart node : kafka) {
                    node.start();
                }
                return broker.awaitReadyAndCreateTopics(kafka.get(0).process().orElseThrow(
                        () -> new OperatorError("the Kafka broker exited at once; see " + dataDir.log(KafkaBroker.NAME))), deadline);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, scheduler);
        database.start();
        progress.say("PostgreSQL ready at " + postgres.jdbcUrl() + " (" + elapsed() + ")");
        UserStoreSchema.migrate(postgres.dataSource());
        StackCredentials.Provisioned credentials = StackCredentials.provision(dataDir,
                new TenantTokens(postgres.dataSource()), options.tenant(), options.token(), progress);
        startReplica();
        writeStackFile();

        // the services start as soon as the database is ready: most of their start-up is their own, and their Kafka
        // clients wait for the broker and the topics by themselves; they are ready only once they reach both. The
        // first start after a build makes their class data sharing archives first, all at once (ServiceLaunch).
        launch = ServiceLaunch.of(installation, JvmOptions.longRunning(), progress);
        Map<Service, CompletableFuture<Boolean>> archives = new EnumMap<>(Service.class);
        for (Service service : options.services()) {
            Map<String, String> environment = serviceEnvironment(service, credentials);
            archives.put(service, CompletableFuture.supplyAsync(() -> launch.prepare(jars.get(service), environment,
                    dataDir.log(service.module()), TRAINING_TIMEOUT),
                    runnable -> new Thread(runnable, "scimflow-cds-" + service.module()).start()));
        }
        for (Service service : options.services()) {
            join(archives.get(service));
            SupervisedPart part = supervise(new JavaProcess(service.module(), () -> launch.arguments(jars.get(service)),
                    serviceEnvironment(service, credentials), dataDir.log(service.module())));
            synchronized (state) {
                services.put(service, part);
            }
            part.start();
        }
        List<String> created = join(topics);
        progress.say("Kafka ready at " + broker.bootstrapServers() + (created.isEmpty() ? "" : ", created " + created)
                + " (" + elapsed() + ")");
        writeStackFile();
        awaitServices(deadline);
        readyLine = new ReadyLine("http://127.0.0.1:" + options.ingressPort() + "/scim/v2",
                "http://127.0.0.1:" + options.auditPort(), credentials.auditToken(), broker.bootstrapServers(),
                postgres.jdbcUrl(), credentials.tenant(), credentials.token().token(),
                options.services().contains(Service.EVENTS) ? "http://127.0.0.1:" + options.eventsPort() : null,
                replica == null ? null : replica.jdbcUrl());
    }

    /**
     * With {@code --postgres-replica}: the replica, from a base backup of the primary on its first start. Without: the
     * primary's slot of a replica run before is dropped, so that it keeps no WAL for it.
     */
    private void startReplica() throws Exception {
        if (options.postgresReplica() == null) {
            LocalReplica.dropSlot(postgres.dataSource());
            return;
        }
        replica = new LocalReplica(dataDir, postgres, options.postgresReplica().port(), options.postgresReplica().applyDelay());
        replicaPart = supervise(replica);
        replicaPart.start();
        progress.say("PostgreSQL replica ready at " + replica.jdbcUrl() + (options.postgresReplica().applyDelay().isZero()
                ? ""
                : ", applying commits " + options.postgresReplica().applyDelay().toSeconds() + " s late") + " (" + elapsed() + ")");
    }

    private SupervisedPart supervise(StackPart part) {
        synchronized (state) {
            if (stopping) {
                throw new OperatorError("stopped while starting");
            }
            return new SupervisedPart(part, scheduler, progress, this::writeStackFile);
        }
    }

    private Map<String, String> serviceEnvironment(Service service, StackCredentials.Provisioned credentials) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SERVER_PORT", Integer.toString(options.port(service)));
        environment.put("SERVER_ADDRESS", "127.0.0.1");
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("SPRING_DATASOURCE_URL", postgres.jdbcUrl());
        environment.put("SPRING_DATASOURCE_USERNAME", LocalPostgres.USER);
        environment.put("SPRING_DATASOURCE_PASSWORD", LocalPostgres.PASSWORD);
        if (service == Service.INGRESS && replica != null) {
            environment.put("SCIMFLOW_INGRESS_READ_JDBC_URL", replica.jdbcUrl());
        }
        if (service == Service.EVENTS) {
            // the SSF issuer: where receivers reach the events service, and the iss of its SETs
            environment.put("SCIMFLOW_EVENTS_ISSUER", "http://127.0.0.1:" + options.port(service));
        }
        if (service == Service.AUDIT) {
            environment.put("SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256", OperatorToken.sha256Hex(credentials.auditToken()));
        }
        return environment;
    }

    private void awaitServices(Instant deadline) throws InterruptedException {
        Set<Service> waiting = new LinkedHashSet<>(options.services());
        while (!waiting.isEmpty()) {
            synchronized (state) {
                if (stopping) {
                    throw new OperatorError("stopped while starting");
                }
            }
            for (Service service : List.copyOf(waiting)) {
                if (Readiness.isReady(Service.readinessUrl(options.port(service)))) {
                    waiting.remove(service);
                    progress.say(service.module() + " ready on port " + options.port(service) + " (" + elapsed() + ")");
                }
            }
            if (!waiting.isEmpty() && Instant.now().isAfter(deadline)) {
                Service late = waiting.iterator().next();
                throw new OperatorError(late.module() + " did not become ready within " + options.readyTimeout().toSeconds()
                        + " s; the end of " + dataDir.log(late.module()) + ":\n" + tail(dataDir.log(late.module()), 25));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The stack as {@code stack.json} describes it. */
    public StackFile describe() {
        synchronized (state) {
            List<StackFile.Part> parts = new ArrayList<>();
            if (database != null) {
                database.process().ifPresent(process -> parts.add(
                        new StackFile.Part(database.name(), process.pid(), database.startedAt(), null, database.restarts())));
            }
            if (replicaPart != null) {
                replicaPart.process().ifPresent(process -> parts.add(new StackFile.Part(replicaPart.name(), process.pid(),
                        replicaPart.startedAt(), null, replicaPart.restarts())));
            }
            for (SupervisedPart node : kafka) {
                node.process().ifPresent(process -> parts.add(
                        new StackFile.Part(node.name(), process.pid(), node.startedAt(), null, node.restarts())));
            }
            services.forEach((service, part) -> part.process().ifPresent(process -> parts.add(new StackFile.Part(
                    part.name(), process.pid(), part.startedAt(), Service.readinessUrl(options.port(service)), part.restarts()))));
            return new StackFile(ProcessHandle.current().pid(), startedAt, dataDir.root().toString(),
                    LocalPostgres.jdbcUrl(options.postgresPort()), kafkaBootstrap(),
                    "http://127.0.0.1:" + options.ingressPort() + "/scim/v2", "http://127.0.0.1:" + options.auditPort(),
                    portsByPart(), parts);
        }
    }

    /** Every Kafka node's address, as the services and other commands get them. */
    private String kafkaBootstrap() {
        return KafkaBroker.nodes(options.kafkaBrokers(), options.kafkaPort(), options.kafkaControllerPort()).stream()
                .map(BrokerProperties.Node::bootstrap).collect(java.util.stream.Collectors.joining(","));
    }

    /** {@code ingress -> 8080}, ... as other commands read them from {@code stack.json}. */
    private Map<String, Integer> portsByPart() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        options.ports().forEach((option, port) -> ports.put(option.replaceFirst("^--", "").replaceFirst("-port$", ""), port));
        return ports;
    }

    private void writeStackFile() {
        synchronized (state) {
            if (!stopping) {
                describe().write(dataDir);
            }
        }
    }

    /** Stops every part, in order; safe to call more than once and from any thread. */
    @Override
    public void close() {
        synchronized (state) {
            if (stopping) {
                awaitQuietly();
                return;
            }
            stopping = true;
        }
        Instant begin = Instant.now();
        if (launch != null) {
            launch.close();
        }
        try {
            List<Thread> stops = new ArrayList<>();
            List<SupervisedPart> running;
            synchronized (state) {
                running = List.copyOf(services.values());
            }
            for (SupervisedPart service : running) {
                Thread stop = new Thread(() -> service.stop(SERVICE_GRACE), "scimflow-stop-" + service.name());
                stop.start();
                stops.add(stop);
            }
            for (Thread stop : stops) {
                stop.join();
            }
            // the replica stops while the brokers do, within the broker's share of the time a stop may take
            Thread replicaStop = new Thread(() -> {
                if (replicaPart != null) {
                    replicaPart.stop(DATABASE_GRACE);
                }
            }, "scimflow-stop-" + LocalReplica.NAME);
            replicaStop.start();
            // the nodes of a cluster stop side by side, within the broker's grace
            List<Thread> brokerStops = new ArrayList<>();
            for (SupervisedPart node : kafka) {
                Thread stop = new Thread(() -> node.stop(BROKER_GRACE), "scimflow-stop-" + node.name());
                stop.start();
                brokerStops.add(stop);
            }
            for (Thread stop : brokerStops) {
                stop.join();
            }
            replicaStop.join();
            if (database != null) {
                database.stop(DATABASE_GRACE);
            }
            if (lock != null) {
                Files.deleteIfExists(dataDir.stackFile());
                if (watchdog != null) {
                    Watchdog.stop(watchdog);
                }
                lock.close();
            }
            if (database != null) {
                progress.say("stopped (" + Duration.between(begin, Instant.now()).toMillis() + " ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            scheduler.shutdownNow();
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook is running or about to, and will find the stack stopped
                }
            }
            stopped.countDown();
        }
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String elapsed() {
        return String.format("%.1f s", Duration.between(startedAt, Instant.now()).toMillis() / 1000.0);
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
