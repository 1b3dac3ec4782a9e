package io.github.zkharness.reliability;

import java.time.Duration;

/**
 * How long the reliability tests run. The normal build runs short versions; {@code -Dzk.reliability.long=true}
 * runs the full ones (30 min soak, 50 parallel rounds, 200 leak cycles), and each figure can be set on its own:
 * {@code -Dzk.soak.minutes=10}, {@code -Dzk.soak.seed=1234}, {@code -Dzk.parallel.rounds=50},
 * {@code -Dzk.leak.cycles=200}. Surefire hands {@code -D} options of the Maven command line to the test JVM.
 */
final class LongRun {

    static final String LONG = "zk.reliability.long";
    static final String SOAK_MINUTES = "zk.soak.minutes";
    static final String SOAK_SEED = "zk.soak.seed";
    static final String PARALLEL_ROUNDS = "zk.parallel.rounds";
    static final String LEAK_CYCLES = "zk.leak.cycles";

    private LongRun() {}

    static boolean enabled() {
        return Boolean.getBoolean(LONG);
    }

    /** The soak's planned fault time: 75 s in the normal build, 30 min in a long run. */
    static Duration soakLength() {
        String minutes = System.getProperty(SOAK_MINUTES);
        if (minutes != null && !minutes.isBlank()) {
            double m = Double.parseDouble(minutes.trim());
            if (!(m > 0)) {
                throw new IllegalArgumentException(SOAK_MINUTES + " must be positive, got " + minutes);
            }
            return Duration.ofMillis((long) (m * 60_000));
        }
        return enabled() ? Duration.ofMinutes(30) : Duration.ofSeconds(75);
    }

    /** The seed passed back with {@code -Dzk.soak.seed}, or a fresh one. */
    static long soakSeed() {
        String seed = System.getProperty(SOAK_SEED);
        if (seed != null && !seed.isBlank()) {
            return Long.decode(seed.trim());
        }
        return new java.security.SecureRandom().nextLong();
    }

    static int parallelRounds() {
        return positive(PARALLEL_ROUNDS, enabled() ? 50 : 15);
    }

    static int leakCycles() {
        return positive(LEAK_CYCLES, enabled() ? 200 : 12);
    }

    private static int positive(String property, int otherwise) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        int n = Integer.parseInt(value.trim());
        if (n < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, got " + value);
        }
        return n;
    }
}
