package dev.scimflow.scim;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One case of a property test: its number and the seed of its own random source, so that a failing case names what
 * replays it. {@link #cases} draws a property's cases for a JUnit {@code @ParameterizedTest}'s {@code @MethodSource}:
 * the same cases every run (seed fixed per property, {@code -Dproperty.seed=N} to explore others), each case's inputs
 * drawn by the test from {@link #random()} with {@link Gen}s.
 */
public record PropertyCase(int number, long propertySeed) {

    /** The property's {@code tries} cases, seeded by {@code -Dproperty.seed} or else {@code seed}. */
    public static Stream<PropertyCase> cases(long seed, int tries) {
        long propertySeed = Long.getLong("property.seed", seed);
        return IntStream.range(0, tries).mapToObj(number -> new PropertyCase(number, propertySeed));
    }

    /** This case's random source: the same for the same property seed and case number, whatever else runs. */
    public RandomGenerator random() {
        // a mixed seed per case: SplittableRandom(s + k * its own gamma) would replay case s's sequence shifted by k
        return new SplittableRandom(new SplittableRandom(propertySeed + number).nextLong());
    }

    @Override
    public String toString() {
        return "case " + number + " of -Dproperty.seed=" + propertySeed;
    }
}
