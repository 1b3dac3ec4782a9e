package io.github.zkharness.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.chaos.ChaosSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The soak's seed follows the property its rerun line prints: a soak replayed with {@code -Dzkharness.chaos.seed}
 * runs that schedule (the property overrides every chaos schedule's seed), so it must also log, name its files and
 * print its rerun line with that seed, not a fresh one.
 */
class LongRunTests {

    private String chaosSeedBefore;
    private String soakSeedBefore;

    @BeforeEach
    void saveProperties() {
        chaosSeedBefore = System.getProperty(ChaosSchedule.SEED_PROPERTY);
        soakSeedBefore = System.getProperty(LongRun.SOAK_SEED);
        System.clearProperty(ChaosSchedule.SEED_PROPERTY);
        System.clearProperty(LongRun.SOAK_SEED);
    }

    @AfterEach
    void restoreProperties() {
        restore(ChaosSchedule.SEED_PROPERTY, chaosSeedBefore);
        restore(LongRun.SOAK_SEED, soakSeedBefore);
    }

    @Test
    void theChaosSeedPropertyIsTheSoaksSeed() {
        System.setProperty(ChaosSchedule.SEED_PROPERTY, "8437453047110274522");
        assertThat(LongRun.soakSeed()).isEqualTo(8437453047110274522L);
    }

    @Test
    void theChaosSeedPropertyWinsOverTheOlderName() {
        System.setProperty(ChaosSchedule.SEED_PROPERTY, "-42");
        System.setProperty(LongRun.SOAK_SEED, "7");
        assertThat(LongRun.soakSeed()).isEqualTo(-42L);
    }

    @Test
    void theOlderNameStillWorks() {
        System.setProperty(LongRun.SOAK_SEED, "1908218971310024563");
        assertThat(LongRun.soakSeed()).isEqualTo(1908218971310024563L);
    }

    @Test
    void aBadSeedNamesThePropertyAndTheValue() {
        System.setProperty(ChaosSchedule.SEED_PROPERTY, "forty-two");
        assertThatThrownBy(LongRun::soakSeed)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dzkharness.chaos.seed must be a long, got \"forty-two\"");
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
