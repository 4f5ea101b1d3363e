package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * In which order the operations of a bulk request may run, and which must wait for which (RFC 7644 §3.7.1, §3.7.2).
 * An operation that names {@code bulkId:x} (in its path or its data, before or after the POST that defines {@code x})
 * needs that POST to have succeeded: it waits for it, and fails if it failed. Operations on the same resource (by its
 * path, or a new resource named anywhere in them) run in request order, each after the one before, whatever its
 * outcome. Everything else is independent and may run at once.
 *
 * <p>A reference to a bulkId no POST of the request defines is refused (400 invalidValue); POSTs that need each other
 * (circular references, RFC 7644 §3.7.1) are refused (409), and so, when performed, is every operation that needs one
 * of them. {@link #order()} lists the operations so that each comes after all it waits for, otherwise in request order.
 */
public final class BulkPlan {

    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final List<BulkOperation> operations;
    private final List<Set<Integer>> needs;
    private final List<Set<Integer>> after;
    private final Map<Integer, ScimException> refused = new HashMap<>();
    private final List<Integer> order;

    private BulkPlan(List<BulkOperation> operations) {
        this.operations = operations;
        this.needs = new ArrayList<>();
        this.after = new ArrayList<>();
        Map<String, Integer> posts = new HashMap<>();
        for (BulkOperation operation : operations) {
            if (operation.isPost() && operation.bulkId() != null) {
                posts.put(operation.bulkId(), operation.index());
            }
        }
        Map<String, Integer> lastOnResource = new HashMap<>();
        for (BulkOperation operation : operations) {
            Set<Integer> references = new TreeSet<>();
            for (String bulkId : operation.references()) {
                Integer post = posts.get(bulkId);
                if (post == null) {
                    refused.put(operation.index(), ScimException.invalidValue(BulkOperation.REFERENCE_PREFIX + bulkId
                            + " names no POST operation of this request"));
                } else {
                    references.add(post);
                }
            }
            needs.add(references);
            Set<Integer> previous = new TreeSet<>();
            for (String resource : resources(operation)) {
                Integer last = lastOnResource.put(resource, operation.index());
                if (last != null) {
                    previous.add(last);
                }
            }
            after.add(previous);
        }
        refuseCycles();
        this.order = topologicalOrder();
    }

    /**
     * The resources an operation other than a POST acts on, for their order: the one of its path, and the resources it
     * names in its data, new or existing (a PATCH adding {@code bulkId:u} or a user's id to a group comes before a later
     * DELETE of that user). A POST is left out: what names its resource waits for it anyway.
     */
    private static Set<String> resources(BulkOperation operation) {
        Set<String> resources = new TreeSet<>();
        if (operation.isPost()) {
            return resources;
        }
        operation.references().forEach(reference -> resources.add(BulkOperation.REFERENCE_PREFIX + reference));
        String path = operation.path();
        if (path != null && !path.substring(path.lastIndexOf('/') + 1).startsWith(BulkOperation.REFERENCE_PREFIX)) {
            resources.add(path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT));
        }
        existingIds(operation.data(), resources);
        return resources;
    }

    /**
     * Ids of existing resources named in data: a group's members, also inside a value filter such as Okta's
     * {@code members[value eq "id"]}. Ids are UUIDs.
     */
    private static void existingIds(tools.jackson.databind.JsonNode node, Set<String> found) {
        if (node == null) {
            return;
        }
        if (node.isString()) {
            java.util.regex.Matcher ids = UUID.matcher(node.asString());
            while (ids.find()) {
                found.add(ids.group().toLowerCase(Locale.ROOT));
            }
        }
        for (tools.jackson.databind.JsonNode child : node) {
            existingIds(child, found);
        }
    }

    public static BulkPlan of(BulkRequest request) {
        return new BulkPlan(request.operations());
    }

    /** Every operation, each after those it waits for, otherwise in request order. */
    public List<Integer> order() {
        return order;
    }

    /** The POSTs an operation needs: it runs only after each succeeded. */
    public Set<Integer> needs(int index) {
        return needs.get(index);
    }

    /** The operation it must wait for (the previous one on the same resource), whatever that one's outcome. */
    public Set<Integer> after(int index) {
        return after.get(index);
    }

    /** Why an operation is refused before it runs: a circular or unresolvable bulkId reference. */
    public Optional<ScimException> refusal(int index) {
        return Optional.ofNullable(refused.get(index));
    }

    /** Tarjan's strongly connected components over "needs": a component of more than one POST, or a POST naming itself. */
    private void refuseCycles() {
        int n = operations.size();
        int[] low = new int[n];
        int[] number = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(number, -1);
        int[] counter = {0};
        java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
        for (int start = 0; start < n; start++) {
            if (number[start] < 0) {
                strongConnect(start, low, number, onStack, counter, stack);
            }
        }
    }

    /** Iterative, so that a chain of a thousand references cannot overflow the stack. */
    private void strongConnect(int start, int[] low, int[] number, boolean[] onStack, int[] counter,
                               java.util.ArrayDeque<Integer> stack) {
        java.util.ArrayDeque<int[]> frames = new java.util.ArrayDeque<>();
        frames.push(new int[]{start, 0});
        number[start] = low[start] = counter[0]++;
        stack.push(start);
        onStack[start] = true;
        while (!frames.isEmpty()) {
            int[] frame = frames.peek();
            int v = frame[0];
            Integer[] edges = needs.get(v).toArray(Integer[]::new);
            if (frame[1] < edges.length) {
                int w = edges[frame[1]++];
                if (number[w] < 0) {
                    number[w] = low[w] = counter[0]++;
                    stack.push(w);
                    onStack[w] = true;
                    frames.push(new int[]{w, 0});
                } else if (onStack[w]) {
                    low[v] = Math.min(low[v], number[w]);
                }
                continue;
            }
            frames.pop();
            if (!frames.isEmpty()) {
                int parent = frames.peek()[0];
                low[parent] = Math.min(low[parent], low[v]);
            }
            if (low[v] == number[v]) {
                List<Integer> component = new ArrayList<>();
                int w;
                do {
                    w = stack.pop();
                    onStack[w] = false;
                    component.add(w);
                } while (w != v);
                if (component.size() > 1 || needs.get(v).contains(v)) {
                    for (int member : component) {
                        refused.put(member, new ScimException(409, null, "circular bulkId reference: operations " + component.stream()
                                .sorted().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + " need each other"));
                    }
                }
            }
        }
    }

    /** Kahn's algorithm, taking the lowest index ready; refused operations wait for nothing (they only fail). */
    private List<Integer> topologicalOrder() {
        int n = operations.size();
        int[] waitingFor = new int[n];
        List<List<Integer>> waiters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waiters.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            if (refused.containsKey(i)) {
                continue;
            }
            Set<Integer> all = new TreeSet<>(needs.get(i));
            all.addAll(after.get(i));
            for (int dependency : all) {
                waiters.get(dependency).add(i);
                waitingFor[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (waitingFor[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> result = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int next = ready.poll();
            result.add(next);
            for (int waiter : waiters.get(next)) {
                if (--waitingFor[waiter] == 0) {
                    ready.add(waiter);
                }
            }
        }
        return List.copyOf(result);
    }
}
