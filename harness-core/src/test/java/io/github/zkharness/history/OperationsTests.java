package io.github.zkharness.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationsTests {

    @Test
    void entriesTakeIdsInTheOrderTheyAreMadeAndCarryWhatTheyWereGiven() {
        Operations ops = new Operations();
        Operation w = ops.write(1, "x", "1").between(0, 10).ok();
        Operation r = ops.read(2, "x").between(5, 12).ok("1");
        Event e = ops.event(15, "chaos", History.FAULT_START, "isolate node 1");
        Operation c = ops.cas(3, "x", "1", "2").between(20, 30).unknown("ConnectionLoss");
        Operation f = ops.of(4, OpKind.of("inc"), "n", "1").between(31, 32).fail("BadVersion");
        Operation p = ops.write(5, "x", "3").pending(40);

        assertThat(List.of(w.id(), r.id(), e.id(), c.id(), f.id(), p.id())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(w).isEqualTo(new Operation(0, 1, OpKind.WRITE, "x", "1", null, Outcome.OK, null, null, 0, 10));
        assertThat(r.result()).isEqualTo("1");
        assertThat(c.expected()).isEqualTo("1");
        assertThat(c.value()).isEqualTo("2");
        assertThat(c.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(f.kind().name()).isEqualTo("inc");
        assertThat(f.reason()).isEqualTo("BadVersion");
        assertThat(p.completed()).isFalse();
        assertThat(p.reason()).isEqualTo("not completed");
        assertThat(History.of(List.of(w, r, e, c, f, p)).entries()).hasSize(6);
    }

    @Test
    void aHandMadeHistoryIsCheckedAsARecordedOneWould() {
        Operations ops = new Operations();
        History stale = History.of(List.of(
                ops.write(1, "x", "1").between(0, 10).ok(),
                ops.read(2, "x").between(20, 30).ok(null)));
        assertThat(Linearizability.register().check(stale).verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void anOutcomeBeforeItsTimesAndBadTimesAreNamed() {
        Operations ops = new Operations();
        assertThatThrownBy(() -> ops.write(1, "x", "1").ok())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("operation #0 p1 write x has no times yet: call between(invokeNanos, completeNanos)"
                        + " before its outcome");
        assertThatThrownBy(() -> ops.read(1, "x").between(10, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an operation runs from invokeNanos >= 0 to completeNanos >= invokeNanos, got 10 to 5");
        assertThatThrownBy(() -> ops.read(1, "x").pending(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invokeNanos must be >= 0, got -1");
        assertThatThrownBy(() -> ops.read(1, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("key must not be null");
        assertThatThrownBy(() -> ops.of(1, null, "x", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("kind must not be null");
    }
}
