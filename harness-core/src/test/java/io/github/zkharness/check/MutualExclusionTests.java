package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
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
                .contains("Faults in force: isolate node-1 (from 50.0 ms)");
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
        assertThat(r.explanation()).contains("to the end of the history").contains("No fault was in force");
    }
}
