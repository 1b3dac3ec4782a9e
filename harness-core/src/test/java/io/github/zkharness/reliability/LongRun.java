package io.github.zkharness.reliability;

import io.github.zkharness.chaos.ChaosSchedule;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * How long the reliability tests run. The normal build runs short versions; {@code -Dzk.reliability.long=true}
 * runs the full ones (30 min soak, 50 parallel rounds, 200 leak cycles), and each figure can be set on its own:
 * {@code -Dzk.soak.minutes=10}, {@code -Dzkharness.chaos.seed=1234} (or its older name {@code -Dzk.soak.seed}),
 * {@code -Dzk.parallel.rounds=50}, {@code -Dzk.leak.cycles=200}. Surefire hands {@code -D} options of the Maven
 * command line to the test JVM.
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

    /**
     * The soak's seed: {@code -Dzkharness.chaos.seed} (the property the soak's rerun line prints, and which
     * overrides every chaos schedule's seed, so the soak must name the same seed), else {@code -Dzk.soak.seed},
     * else a fresh one.
     *
     * @throws IllegalArgumentException naming the property if its value is not a long
     */
    static long soakSeed() {
        for (String property : new String[] {ChaosSchedule.SEED_PROPERTY, SOAK_SEED}) {
            String seed = System.getProperty(property);
            if (seed != null && !seed.isBlank()) {
                try {
                    return Long.decode(seed.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("-D" + property + " must be a long, got \"" + seed + "\"", e);
                }
            }
        }
        return new SecureRandom().nextLong();
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
