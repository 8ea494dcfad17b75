package dev.gatehouse.fuzz;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small seeded random-input driver: {@code tries} inputs from a generator, each checked by a
 * property. A failure names the seed and the input, so it reproduces exactly. Seeds default to a
 * fixed value (stable CI) and can be varied with {@code -Dgatehouse.fuzz.seed=N} and
 * {@code -Dgatehouse.fuzz.tries=N} for longer runs.
 */
public final class Fuzz {
    private Fuzz() {
    }

    public static <T> void check(int defaultTries, Function<Random, T> generator, Consumer<T> property) {
        long seed = Long.getLong("gatehouse.fuzz.seed", 20261128L);
        int tries = Integer.getInteger("gatehouse.fuzz.tries", defaultTries);
        Random random = new Random(seed);
        for (int i = 0; i < tries; i++) {
            T input = generator.apply(random);
            try {
                property.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed on try " + i + " (seed " + seed + ") for input: "
                        + String.valueOf(input).replace("\r", "\\r").replace("\n", "\\n"), e);
            }
        }
    }

    public static <T> T oneOf(Random r, List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    /** A string of arbitrary UTF-16 code units, controls and surrogates included. */
    public static String anyString(Random r, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            sb.append(kind < 6 ? (char) (0x20 + r.nextInt(0x5f)) : kind < 8 ? (char) r.nextInt(0x20) : (char) r.nextInt(0x10000));
        }
        return sb.toString();
    }
}
