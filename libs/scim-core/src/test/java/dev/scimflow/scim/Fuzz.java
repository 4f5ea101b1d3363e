package dev.scimflow.scim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * The fuzz harness. Each target runs two ways over the same generator ({@link Gen}) and the same check:
 * <ul>
 * <li>{@link #run}: a seeded run, {@code -Dfuzz.tries=N} inputs per target, {@code -Dfuzz.tries.<target>=N} for one
 * (a few thousand in {@code mvn verify}, hundreds of thousands in the big run: SECURITY.md), seeded by
 * {@code -Dfuzz.seed=N}, by the clock with {@code -Dfuzz.seed=clock} (the big runs: new inputs each time), or else by the
 * target's name, so that {@code mvn verify} draws the same inputs every run and a red build is never chance. The counts
 * go to stdout and {@code target/fuzz-counts.txt}.</li>
 * <li>{@link #once}: one input of a Jazzer {@code @FuzzTest}, the generator's choices read from the fuzzer's bytes, so
 * that coverage-guided mutation steers the grammar (with {@code JAZZER_FUZZ=1}; without it, the committed inputs
 * are replayed).</li>
 * </ul>
 * Each input must be accepted or refused with a {@link ScimException}, within a generous time per input; anything
 * else fails with the input (and the seed to replay it). user-store's and the ingress's fuzz tests use it from
 * scim-core's test-jar.
 */
public final class Fuzz {

    private static final Duration MAX_PER_INPUT = Duration.ofMillis(Long.getLong("fuzz.maxMillisPerInput", 5_000));

    private Fuzz() {
    }

    public static <T> void run(String target, int ciTries, Gen<T> inputs, Consumer<T> check) {
        int tries = Integer.getInteger("fuzz.tries." + target, Integer.getInteger("fuzz.tries", ciTries));
        long seed = seed(target);
        RandomGenerator random = new SplittableRandom(seed);
        int accepted = 0;
        int refused = 0;
        long slowest = 0;
        for (int i = 0; i < tries; i++) {
            T input = inputs.next(random);
            String where = target + ": input " + i + " (seed " + seed + ")";
            long took = System.nanoTime();
            if (checked(where, input, check)) {
                accepted++;
            } else {
                refused++;
            }
            took = System.nanoTime() - took;
            slowest = Math.max(slowest, took);
            if (took > MAX_PER_INPUT.toNanos()) {
                throw new AssertionError(where + " took " + took / 1_000_000 + " ms: " + shown(input));
            }
        }
        String line = "FUZZ %s tries=%d accepted=%d refused=%d slowestMs=%.1f seed=%d".formatted(target, tries, accepted, refused,
                slowest / 1e6, seed);
        System.out.println(line);
        try {
            Files.writeString(Path.of("target", "fuzz-counts.txt"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One input of a Jazzer fuzz test: drawn through {@code inputs} from the fuzzer's bytes, then checked. */
    public static <T> void once(String target, FuzzedDataProvider data, Gen<T> inputs, Consumer<T> check) {
        T input;
        try {
            input = inputs.next(new FuzzerChoices(data));
        } catch (Gen.Misses dropped) {
            return; // bytes that steer a filtered generator nowhere: not an input
        }
        long took = System.nanoTime();
        checked(target, input, check);
        took = System.nanoTime() - took;
        if (took > MAX_PER_INPUT.toNanos()) {
            throw new AssertionError(target + ": took " + took / 1_000_000 + " ms: " + shown(input));
        }
    }

    /** True if accepted, false if refused with a SCIM error; anything else fails the run. */
    private static <T> boolean checked(String where, T input, Consumer<T> check) {
        try {
            check.accept(input);
            return true;
        } catch (ScimException expected) {
            return false;
        } catch (Throwable e) {
            throw new AssertionError(where + " escaped as " + e + ": " + shown(input), e);
        }
    }

    private static long seed(String target) {
        String seed = System.getProperty("fuzz.seed");
        if (seed == null || seed.isBlank()) {
            return target.hashCode();
        }
        return seed.equals("clock") ? System.nanoTime() : Long.parseLong(seed);
    }

    /** Random edits of a text: characters deleted, inserted (from a hostile alphabet) or repeated. */
    public static Gen<String> mutated(Gen<String> texts) {
        Gen<Character> hostile = Gen.oneOf(Gen.chars("()[]\"\\.: $'\u0000\uD800\u00e9{},*"),
                Gen.chars(Character.MIN_VALUE, Character.MAX_VALUE));
        Gen<Edit> edit = random -> new Edit(Gen.integers(0, 2).next(random), Gen.integers(0, 10_000).next(random),
                Gen.integers(1, 8).next(random), hostile.next(random));
        Gen<List<Edit>> edits = edit.list(0, 4);
        return random -> apply(texts.next(random), edits.next(random));
    }

    private record Edit(int kind, int at, int length, char c) {
    }

    private static String apply(String text, List<Edit> edits) {
        StringBuilder s = new StringBuilder(text);
        for (Edit e : edits) {
            int at = s.isEmpty() ? 0 : e.at() % (s.length() + 1);
            switch (e.kind()) {
                case 0 -> s.delete(at, Math.min(s.length(), at + e.length()));
                case 1 -> s.insert(at, String.valueOf(e.c()).repeat(e.length()));
                default -> s.insert(at, s.substring(at, Math.min(s.length(), at + e.length() * 4)));
            }
        }
        return s.toString();
    }

    private static String shown(Object input) {
        String text = String.valueOf(input);
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }

    /** A generator's choices taken from the fuzzer's bytes; once they run out, every choice is the first one. */
    private record FuzzerChoices(FuzzedDataProvider data) implements RandomGenerator {

        @Override
        public long nextLong() {
            return data.consumeLong();
        }

        @Override
        public int nextInt() {
            return data.consumeInt();
        }

        @Override
        public int nextInt(int bound) {
            return data.consumeInt(0, bound - 1);
        }

        @Override
        public int nextInt(int origin, int bound) {
            return data.consumeInt(origin, bound - 1);
        }

        @Override
        public boolean nextBoolean() {
            return data.consumeBoolean();
        }

        @Override
        public double nextDouble() {
            return Math.min(data.consumeProbabilityDouble(), Math.nextDown(1.0));
        }
    }
}
