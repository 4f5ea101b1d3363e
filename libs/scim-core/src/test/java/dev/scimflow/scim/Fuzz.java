package dev.scimflow.scim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;

/**
 * A fuzz run over jqwik generators: {@code -Dfuzz.tries=N} inputs per target, {@code -Dfuzz.tries.<target>=N} for one
 * (a few thousand in {@code mvn verify}, hundreds of thousands in the big run: SECURITY.md), seeded by
 * {@code -Dfuzz.seed} or the clock. Each input must be accepted or refused with a {@link ScimException}, within a
 * generous time per input; anything else fails the run with the input and the seed to replay it. The counts go to
 * stdout and {@code target/fuzz-counts.txt}. user-store's and the ingress's fuzz tests use it from scim-core's test-jar.
 */
public final class Fuzz {

  private static final Duration MAX_PER_INPUT = Duration.ofMillis(Long.getLong("fuzz.maxMillisPerInput", 5_000));

  private Fuzz() {
  }

  public static <T> void run(String target, int ciTries, Arbitrary<T> inputs, Consumer<T> check) {
    int tries = Integer.getInteger("fuzz.tries." + target, Integer.getInteger("fuzz.tries", ciTries));
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    RandomGenerator<T> generator = inputs.generator(1000);
    int accepted = 0;
    int refused = 0;
    long slowest = 0;
    for (int i = 0; i < tries; i++) {
      T input = generator.next(random).value();
      long start = System.nanoTime();
      try {
        check.accept(input);
        accepted++;
      } catch (ScimException expected) {
        refused++;
      } catch (Throwable e) {
        throw new AssertionError(target + ": input " + i + " (seed " + seed + ") escaped as " + e + ": " + shown(input), e);
      }
      long took = System.nanoTime() - start;
      slowest = Math.max(slowest, took);
      if (took > MAX_PER_INPUT.toNanos()) {
        throw new AssertionError(target + ": input " + i + " (seed " + seed + ") took " + took / 1_000_000 + " ms: " + shown(input));
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

  /** Random edits of a text: characters deleted, inserted (from a hostile alphabet) or repeated. */
  public static Arbitrary<String> mutated(Arbitrary<String> texts) {
    Arbitrary<Character> hostile = Arbitraries.oneOf(Arbitraries.of('(', ')', '[', ']', '"', '\\', '.', ':', ' ', '$', '\'',
        '\u0000', '\uD800', '\u00e9', '{', '}', ',', '*'), Arbitraries.chars());
    Arbitrary<Edit> edit = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(1, 8), hostile).as(Edit::new);
    return net.jqwik.api.Combinators.combine(texts, edit.list().ofMaxSize(4)).as(Fuzz::apply);
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
}
