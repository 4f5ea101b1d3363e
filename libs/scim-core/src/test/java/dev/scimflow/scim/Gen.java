package dev.scimflow.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A generator of test inputs: what the property tests and the fuzz targets draw their users, filters, paths and
 * PATCH bodies from. It takes every choice from a {@link RandomGenerator}: a seeded {@code SplittableRandom} for
 * properties and seeded fuzz runs (so a seed replays a case), or Jazzer's bytes for coverage-guided fuzzing
 * ({@link Fuzz#once}). Small on purpose: the combinators the SCIM grammars need, each drawing its edge cases
 * (empty and longest strings, 0, ±1, the int bounds) often, as a property-testing library would.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(RandomGenerator random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<? extends R>> f) {
        return random -> f.apply(next(random)).next(random);
    }

    /** Values that pass {@code keep}; {@link Misses} after 10,000 that do not in a row. */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            for (int i = 0; i < 10_000; i++) {
                T value = next(random);
                if (keep.test(value)) {
                    return value;
                }
            }
            throw new Misses();
        };
    }

    /** {@code null} with probability {@code p}. */
    default Gen<T> orNull(double p) {
        return random -> random.nextDouble() < p ? null : next(random);
    }

    default Gen<List<T>> list(int minSize, int maxSize) {
        Gen<Integer> sizes = sizes(minSize, maxSize);
        return random -> {
            int size = sizes.next(random);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    static <T> Gen<T> just(T value) {
        return random -> value;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    static <T> Gen<T> of(List<T> values) {
        List<T> copy = List.copyOf(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... choices) {
        List<Gen<? extends T>> copy = List.of(choices);
        return random -> copy.get(random.nextInt(copy.size())).next(random);
    }

    static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** One of the generators, chosen in proportion to its weight. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        List<Weighted<? extends T>> copy = List.of(choices);
        int total = copy.stream().mapToInt(Weighted::weight).sum();
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<? extends T> choice : copy) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new IllegalStateException("unreachable");
        };
    }

    static Gen<Boolean> booleans() {
        return RandomGenerator::nextBoolean;
    }

    /** From {@code min} to {@code max}, both included, the bounds more often than the rest. */
    static Gen<Integer> integers(int min, int max) {
        return random -> switch (random.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            default -> (int) (min + Math.floorMod(random.nextLong(), (long) max - min + 1));
        };
    }

    /** Any int: small ones and the edge cases (0, ±1, the bounds) often, the whole range too. */
    static Gen<Integer> integers() {
        Gen<Integer> edges = of(0, 1, -1, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1);
        return frequency(weighted(1, edges), weighted(3, integers(-1000, 1000)), weighted(4, RandomGenerator::nextInt));
    }

    /** Finite doubles with two decimals or huge ones, and their edge cases; no NaN or infinity. */
    static Gen<Double> doubles() {
        Gen<Double> edges = of(0.0, 1.0, -1.0, 0.01, -0.01, Double.MAX_VALUE, -Double.MAX_VALUE);
        Gen<Double> small = random -> Math.round((random.nextDouble() * 2 - 1) * 1e6) / 100.0;
        Gen<Double> any = random -> (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble() * 308)
                * (1 + random.nextDouble() * 0.7);
        return frequency(weighted(1, edges), weighted(3, small), weighted(4, any));
    }

    /** Characters from {@code from} to {@code to}, both included. */
    static Gen<Character> chars(char from, char to) {
        return random -> (char) random.nextInt(from, to + 1);
    }

    /** One of the given characters. */
    static Gen<Character> chars(String alphabet) {
        return random -> alphabet.charAt(random.nextInt(alphabet.length()));
    }

    /** Any UTF-16 code unit, lone surrogates and NUL included. */
    static Gen<Character> anyChar() {
        return frequency(weighted(2, chars(Character.MIN_VALUE, Character.MAX_VALUE)), weighted(1, chars(' ', '~')),
                weighted(1, chars("\u0000\t\n \"\\\uD800\uDFFF\uFFFF")));
    }

    /** What a string of "any text" holds: any character but Unicode's noncharacters and private use ones. */
    static Gen<Character> textChar() {
        return anyChar()
                .filter(c -> !(c >= '\uE000' && c <= '\uF8FF') && !(c >= '\uFDD0' && c <= '\uFDEF') && c != '\uFFFE' && c != '\uFFFF');
    }

    static Gen<Character> alpha() {
        return chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    }

    /** Strings of {@code minLength} to {@code maxLength} characters, the shortest and the longest often. */
    static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
        Gen<Integer> lengths = sizes(minLength, maxLength);
        return random -> {
            int length = lengths.next(random);
            StringBuilder s = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                s.append(chars.next(random));
            }
            return s.toString();
        };
    }

    /**
     * Recursive structures: {@code step} applied to {@code base} a number of times between {@code minDepth} and
     * {@code maxDepth}, chosen per value (a step that refers to its argument twice builds trees).
     */
    static <T> Gen<T> recursive(Gen<T> base, UnaryOperator<Gen<T>> step, int minDepth, int maxDepth) {
        List<Gen<T>> byDepth = new ArrayList<>();
        Gen<T> gen = base;
        for (int depth = 0; depth <= maxDepth; depth++) {
            byDepth.add(gen);
            gen = step.apply(gen);
        }
        List<Gen<T>> allowed = byDepth.subList(minDepth, maxDepth + 1);
        return random -> allowed.get(random.nextInt(allowed.size())).next(random);
    }

    private static Gen<Integer> sizes(int min, int max) {
        return random -> switch (random.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            default -> random.nextInt(min, max + 1);
        };
    }

    /** A weight for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
    }

    /** A {@link #filter} found no value it keeps: the input is dropped, not a failure. */
    final class Misses extends RuntimeException {
        Misses() {
            super("10,000 generated values in a row did not pass the filter", null, false, false);
        }
    }
}
