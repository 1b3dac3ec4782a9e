package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.history.History;
import org.junit.jupiter.api.Test;

class ChecksTests {

    @Test
    void theWorstVerdictWinsAndThePartsAreKept() {
        History h = new Hist()
                .write(1, "x", "1", 0, 10)
                .write(1, "x", "2", 20, 30)
                .read(2, "x", "1", 40, 50)
                .build();
        CheckResult r = Checks.all(ZooKeeperConsistency.of(), Linearizability.register(), MutualExclusion.of())
                .check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.parts())
                .extracting(CheckResult::verdict)
                .containsExactly(Verdict.VALID, Verdict.INVALID, Verdict.VALID);
        assertThat(r.counterexample()).isNotEmpty();
        assertThat(r.toString())
                .contains("INVALID all (key x): 3 checks")
                .contains("  INVALID linearizability (key x)");
        assertThat(Checks.all(MutualExclusion.of()).check(h).verdict()).isEqualTo(Verdict.VALID);
        assertThat(Verdict.VALID.and(Verdict.UNKNOWN)).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void noCheckersIsBadInput() {
        assertThatThrownBy(Checks::all)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one checker");
    }
}
