package dev.scimflow.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The share of each operation in the load, as relative weights ({@code create=20,get=25,...}); operations left out
 * are not sent. {@link #pick} turns a uniform random number into an operation in those proportions.
 */
public final class OperationMix {

    public static final String DEFAULT = "create=20,get=25,search=25,put=10,deactivate=8,reactivate=7,members=5";

    private final Map<Operation, Integer> weights;
    private final Operation[] slots;
    private final int[] cumulative;
    private final int total;

    private OperationMix(Map<Operation, Integer> weights) {
        this.weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        this.slots = weights.keySet().toArray(Operation[]::new);
        this.cumulative = new int[slots.length];
        int sum = 0;
        for (int i = 0; i < slots.length; i++) {
            sum += weights.get(slots[i]);
            cumulative[i] = sum;
        }
        this.total = sum;
    }

    /** Parses {@code name=weight} pairs separated by commas; weights are non-negative integers, at least one positive. */
    public static OperationMix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BenchError("--mix is empty; e.g. " + DEFAULT);
        }
        Map<Operation, Integer> weights = new EnumMap<>(Operation.class);
        for (String pair : text.split(",")) {
            String[] parts = pair.split("=", -1);
            if (parts.length != 2) {
                throw new BenchError("--mix: '" + pair.strip() + "' is not name=weight; e.g. " + DEFAULT);
            }
            Operation operation = Operation.byKey(parts[0]).orElseThrow(() -> new BenchError("--mix: unknown operation '"
                    + parts[0].strip() + "'; known: " + known()));
            int weight;
            try {
                weight = Integer.parseInt(parts[1].strip());
            } catch (NumberFormatException e) {
                throw new BenchError("--mix: the weight of " + operation.key() + " must be a whole number, not '"
                        + parts[1].strip() + "'");
            }
            if (weight < 0) {
                throw new BenchError("--mix: the weight of " + operation.key() + " must not be negative");
            }
            if (weights.putIfAbsent(operation, weight) != null) {
                throw new BenchError("--mix: " + operation.key() + " is given twice");
            }
        }
        weights.values().removeIf(weight -> weight == 0);
        if (weights.isEmpty()) {
            throw new BenchError("--mix: at least one weight must be positive");
        }
        return new OperationMix(weights);
    }

    /** All load of one operation, as {@code --only create} asks. */
    public static OperationMix only(String key) {
        Operation operation = Operation.byKey(key).orElseThrow(() -> new BenchError("--only: unknown operation '"
                + key + "'; known: " + known()));
        return new OperationMix(Map.of(operation, 1));
    }

    /** The operation for a uniform random number in [0, 1). */
    public Operation pick(double uniform) {
        int point = (int) Math.floor(uniform * total);
        for (int i = 0; i < slots.length; i++) {
            if (point < cumulative[i]) {
                return slots[i];
            }
        }
        return slots[slots.length - 1];
    }

    public Map<Operation, Integer> weights() {
        return weights;
    }

    public double share(Operation operation) {
        return weights.getOrDefault(operation, 0) / (double) total;
    }

    public boolean includes(Operation operation) {
        return weights.containsKey(operation);
    }

    @Override
    public String toString() {
        return weights.entrySet().stream().map(entry -> entry.getKey().key() + "=" + entry.getValue())
                .collect(Collectors.joining(","));
    }

    private static String known() {
        return Arrays.stream(Operation.values()).map(Operation::key).collect(Collectors.joining(", "));
    }
}
