package dev.scimflow.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an {@link Operation} into a SCIM request for a random tenant and user, and keeps what the benchmark knows of
 * users (their ids, whether active, whether in the group) up to date with the answers. An operation that needs a user
 * is sent as a create while its tenant has none.
 */
final class Workload {

    /**
     * What was sent and what came back; {@code operation} may differ from the one asked for (see the class), and
     * {@code changesState} is false for a deactivation or reactivation of a user the benchmark already knew to be in that
     * state.
     */
    record Sent(Operation operation, Tenant tenant, Tenant.User user, ScimClient.Reply reply, boolean changesState) {

        Sent(Operation operation, Tenant tenant, Tenant.User user, ScimClient.Reply reply) {
            this(operation, tenant, user, reply, true);
        }
    }

    private static final String[] GIVEN = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Radia", "Donald"};
    private static final String[] FAMILY = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Perlman", "Knuth"};

    private final ScimClient client;
    private final List<Tenant> tenants;
    private final String runId;
    private final AtomicLong sequence = new AtomicLong();
    private final int bulkSize;
    private final AtomicLong bulkCreated = new AtomicLong();
    private final AtomicLong bulkFailed = new AtomicLong();

    Workload(ScimClient client, List<Tenant> tenants, String runId) {
        this(client, tenants, runId, 1000);
    }

    Workload(ScimClient client, List<Tenant> tenants, String runId, int bulkSize) {
        this.client = client;
        this.tenants = List.copyOf(tenants);
        this.runId = runId;
        this.bulkSize = bulkSize;
    }

    /** Users created by bulk requests (operations answered 201), and bulk operations answered otherwise. */
    long[] bulkOperations() {
        return new long[]{bulkCreated.get(), bulkFailed.get()};
    }

    Tenant tenant(Random random) {
        return tenants.get(random.nextInt(tenants.size()));
    }

    CompletableFuture<Sent> send(Operation wanted, Random random) {
        Tenant tenant = tenant(random);
        return send(wanted, tenant, random);
    }

    CompletableFuture<Sent> send(Operation wanted, Tenant tenant, Random random) {
        Tenant.User user = switch (wanted) {
            case CREATE, BULK -> null;
            case DEACTIVATE -> tenant.withActive(true, random);
            case REACTIVATE -> tenant.withActive(false, random);
            default -> tenant.any(random);
        };
        Operation operation = wanted != Operation.CREATE && wanted != Operation.BULK && user == null ? Operation.CREATE : wanted;
        if (operation == Operation.MEMBERS && tenant.groupId == null) {
            operation = Operation.GET;
        }
        return switch (operation) {
            case CREATE -> create(tenant, random);
            case BULK -> bulkCreate(tenant, random);
            case GET -> client.send(tenant.token, "GET", "/Users/" + user.id, null)
                    .thenApply(reply -> new Sent(Operation.GET, tenant, user, reply));
            case SEARCH -> client.send(tenant.token, "GET", ScimClient.userNameFilter(user.userName), null)
                    .thenApply(reply -> new Sent(Operation.SEARCH, tenant, user, reply));
            case PUT -> {
                boolean active = user.active;
                String body = ScimClient.replacedUser(user.userName, pick(GIVEN, random), pick(FAMILY, random),
                        "Engineer " + random.nextInt(1000), active);
                yield client.send(tenant.token, "PUT", "/Users/" + user.id, body)
                        .thenApply(reply -> new Sent(Operation.PUT, tenant, user, reply));
            }
            case DEACTIVATE, REACTIVATE -> {
                boolean active = operation == Operation.REACTIVATE;
                boolean changesState = user.active != active;
                Operation sent = operation;
                yield client.send(tenant.token, "PATCH", "/Users/" + user.id, ScimClient.activePatch(active))
                        .thenApply(reply -> {
                            if (reply.ok()) {
                                user.active = active;
                            }
                            return new Sent(sent, tenant, user, reply, changesState);
                        });
            }
            case MEMBERS -> {
                boolean add = !user.member;
                String body = add ? ScimClient.addMember(user.id) : ScimClient.removeMember(user.id);
                yield client.send(tenant.token, "PATCH", "/Groups/" + tenant.groupId, body)
                        .thenApply(reply -> {
                            if (reply.ok()) {
                                user.member = add;
                            }
                            return new Sent(Operation.MEMBERS, tenant, user, reply);
                        });
            }
        };
    }

    CompletableFuture<Sent> create(Tenant tenant, Random random) {
        String userName = "bench-" + runId + "-" + sequence.incrementAndGet() + "@example.com";
        return client.send(tenant.token, "POST", "/Users", ScimClient.newUser(userName, pick(GIVEN, random), pick(FAMILY, random)))
                .thenApply(reply -> {
                    Tenant.User user = null;
                    if (reply.ok()) {
                        user = new Tenant.User(idOf(reply.body()), userName);
                        tenant.add(user);
                    }
                    return new Sent(Operation.CREATE, tenant, user, reply);
                });
    }

    /**
     * One bulk request of {@code bulkSize} creates, as an IdP's initial load sends it; the request counts as answered
     * only if every operation was (201).
     */
    CompletableFuture<Sent> bulkCreate(Tenant tenant, Random random) {
        List<String> userNames = new java.util.ArrayList<>(bulkSize);
        StringBuilder operations = new StringBuilder();
        for (int i = 0; i < bulkSize; i++) {
            String userName = "bench-" + runId + "-" + sequence.incrementAndGet() + "@example.com";
            userNames.add(userName);
            operations.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u").append(i)
                    .append("\",\"data\":").append(ScimClient.newUser(userName, pick(GIVEN, random), pick(FAMILY, random))).append('}');
        }
        String body = "{\"schemas\":[\"" + ScimClient.BULK_REQUEST_SCHEMA + "\"],\"Operations\":[" + operations + "]}";
        return client.send(tenant.token, "POST", "/Bulk", body).thenApply(reply -> {
            if (!reply.ok()) {
                return new Sent(Operation.BULK, tenant, null, reply);
            }
            var results = BenchJson.MAPPER.readTree(reply.body()).path("Operations");
            int created = 0;
            for (var result : results) {
                if ("201".equals(result.path("status").asString())) {
                    String location = result.path("location").asString();
                    int index = Integer.parseInt(result.path("bulkId").asString().substring(1));
                    tenant.add(new Tenant.User(location.substring(location.lastIndexOf('/') + 1), userNames.get(index)));
                    created++;
                }
            }
            bulkCreated.addAndGet(created);
            bulkFailed.addAndGet(bulkSize - created);
            return new Sent(Operation.BULK, tenant, null, created == bulkSize
                    ? reply
                    : new ScimClient.Reply(207, reply.body(), null, reply.requestId()));
        });
    }

    /** Creates the tenant's benchmark group, for the {@code members} operation. */
    CompletableFuture<ScimClient.Reply> createGroup(Tenant tenant) {
        return client.send(tenant.token, "POST", "/Groups", ScimClient.newGroup("scimflow-bench-" + runId))
                .thenApply(reply -> {
                    if (reply.ok()) {
                        tenant.groupId = idOf(reply.body());
                    }
                    return reply;
                });
    }

    static String idOf(String body) {
        return BenchJson.MAPPER.readTree(body).path("id").asString();
    }

    private static String pick(String[] names, Random random) {
        return names[random.nextInt(names.length)];
    }
}
