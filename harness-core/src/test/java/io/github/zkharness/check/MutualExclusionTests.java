package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MutualExclusionTests {

    @Test
    void overlappingHoldersAreReportedWithBothIntervalsAndTheFaultsInForce() {
        History h = new Hist()
                .event("process-1", History.LOCK_ACQUIRED, "lock", 0)
                .event("chaos", History.FAULT_START, "isolate node-1", 50)
                .event("process-2", History.LOCK_ACQUIRED, "lock", 100) // p1 never noticed
                .event("process-1", History.LOCK_LOST, "lock", 150)
                .event("chaos", History.FAULT_END, "isolate node-1", 200)
                .event("process-2", History.LOCK_RELEASED, "lock", 300)
                .build();
        CheckResult r = MutualExclusion.of().check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.key()).contains("lock");
        assertThat(r.explanation())
                .contains("from 100.0 ms to 150.0 ms")
                .contains("process-1 held it from 0.0 ms to 150.0 ms (lock-lost)")
                .contains("process-2 held it from 100.0 ms to 300.0 ms (lock-released)")
                .contains("Faults in force: isolate node-1 (from 50.0 ms, action ended 200.0 ms)")
                .contains("This is usually a holder cut off from the quorum");
        assertThat(r.events())
                .extracting(Event::kind)
                .contains(History.FAULT_START, History.LOCK_ACQUIRED, History.LOCK_LOST, History.LOCK_RELEASED);
    }

    @Test
    void handOversWithoutOverlapAreValid() {
        History h = new History();
        h.acquired(1, "lock");
        h.released(1, "lock");
        h.acquired(2, "lock");
        h.acquired(1, "other");
        h.lost(2, "lock");
        h.acquired(3, "lock");
        CheckResult r = MutualExclusion.of().check(h);
        assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.VALID);
        assertThat(r.explanation()).contains("4 holding intervals of 2 locks");
    }

    @Test
    void aHolderThatNeverLetGoHoldsUntilTheEnd() {
        History h = new Hist()
                .event("process-1", History.LOCK_ACQUIRED, "lock", 0)
                .event("process-2", History.LOCK_ACQUIRED, "lock", 500)
                .build();
        CheckResult r = MutualExclusion.of().check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation())
                .contains("to the end of the history")
                .contains("No fault was in force, and none ended within 2.0 s before: the lock itself lets two"
                        + " processes hold it");
    }

    @Test
    void aFaultWhoseEffectOutlastsItsActionIsInForceUntilItsEffectEnds() {
        History h = new Hist()
                .event("process-1", History.LOCK_ACQUIRED, "lock", 0)
                .event("test", History.FAULT_START, "expire session 0x1", 100)
                .event("test", History.FAULT_END, "expire session 0x1", 102)
                .event("process-2", History.LOCK_ACQUIRED, "lock", 150) // p1 has not heard of its expiry yet
                .event("test", History.FAULT_EFFECT_END, "expire session 0x1", 180)
                .event("process-1", History.LOCK_LOST, "lock", 300)
                .build();
        CheckResult r = MutualExclusion.of().faultWindow(Duration.ZERO).check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation())
                .contains("Faults in force: expire session 0x1 (from 100.0 ms, action ended 102.0 ms, effect ended"
                        + " 180.0 ms)")
                .contains("This is usually a lock holder that learned of its expired session late")
                .contains("a lock needs fencing")
                .doesNotContain("within");
        assertThat(r.events()).extracting(Event::description).contains("expire session 0x1");
    }

    @Test
    void aFaultWhoseEffectEndedWithinTheWindowBeforeTheOverlapIsNamed() {
        History h = new Hist()
                .event("process-1", History.LOCK_ACQUIRED, "lock", 0)
                .event("test", History.FAULT_START, "expire session 0x1", 100)
                .event("test", History.FAULT_END, "expire session 0x1", 102)
                .event("test", History.FAULT_EFFECT_END, "expire session 0x1", 110)
                .event("process-2", History.LOCK_ACQUIRED, "lock", 300)
                .event("process-1", History.LOCK_LOST, "lock", 400)
                .build();
        assertThat(MutualExclusion.of().check(h).explanation())
                .contains("Faults whose effect ended within 2.0 s before: expire session 0x1 (from 100.0 ms, action"
                        + " ended 102.0 ms, effect ended 110.0 ms)")
                .doesNotContain("Faults in force");
        assertThat(MutualExclusion.of()
                        .faultWindow(Duration.ofMillis(100))
                        .check(h)
                        .explanation())
                .contains("No fault was in force, and none ended within 0.1 s before");
    }

    @Test
    void aNegativeOrMissingWindowIsRefused() {
        assertThatThrownBy(() -> MutualExclusion.of().faultWindow(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> MutualExclusion.of().faultWindow(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("window");
    }
}
