package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Operations;
import io.github.zkharness.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityTests {

    private static CheckResult check(Hist h) {
        return Linearizability.register().timeLimit(Duration.ofSeconds(10)).check(h.build());
    }

    @Test
    void sequentialWritesAndReadsAreLinearizable() {
        CheckResult r = check(new Hist()
                .write(1, "x", "1", 0, 10)
                .read(2, "x", "1", 20, 30)
                .write(2, "x", "2", 40, 50)
                .read(1, "x", "2", 60, 70));
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.explanation()).contains("4 operations");
    }

    @Test
    void anInvalidVerdictNamesTheFaultsInForceWhileTheCounterexampleRan() {
        Operations ops = new Operations();
        History withFault = History.of(List.of(
                ops.event(5, "chaos", History.FAULT_START, "kill node 2 (power loss)"),
                ops.write(1, "x", "1").between(10, 20).ok(),
                ops.write(1, "x", "2").between(30, 40).ok(),
                ops.event(45, "chaos", History.FAULT_END, "kill node 2 (power loss)"),
                ops.read(2, "x").between(50, 60).ok("1"),
                ops.event(100, "chaos", History.FAULT_START, "isolate node 3")));
        CheckResult r = Linearizability.register().check(withFault);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation())
                .endsWith("\nFaults in force while these operations ran: kill node 2 (power loss) (from 0.0 ms,"
                        + " action ended 0.0 ms).");
        assertThat(r.events()).extracting(Event::description).containsExactly("kill node 2 (power loss)");

        History without = History.of(List.of(
                ops.write(1, "y", "1").between(10, 20).ok(),
                ops.read(2, "y").between(30, 40).ok("2")));
        assertThat(Linearizability.register().check(without).explanation())
                .endsWith("\nNo fault was in force while these operations ran.");
    }

    @Test
    void aReadConcurrentWithAWriteMayReturnEitherValue() {
        Hist h = new Hist()
                .write(1, "x", "1", 0, 10)
                .write(2, "x", "2", 20, 60)
                .read(3, "x", "1", 25, 30)
                .read(4, "x", "2", 30, 40)
                .read(3, "x", "2", 65, 70);
        assertThat(check(h).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aStaleReadAfterAWriteCompletedIsNotLinearizable() {
        CheckResult r = check(
                new Hist().write(1, "x", "1", 0, 10).write(1, "x", "2", 20, 30).read(2, "x", "1", 40, 50));
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.key()).contains("x");
        assertThat(r.counterexample()).extracting(Operation::id).contains(2L);
        assertThat(r.explanation()).contains("#2 p2 read x OK -> \"1\"");
        assertThat(r.toString()).startsWith("INVALID linearizability (key x)").contains("operations:");
    }

    @Test
    void readsThatDisagreeOnTheOrderOfTwoConcurrentWritesAreNotLinearizable() {
        // both writes overlap both reads' predecessors; p3 sees 1 then 2, p4 sees 2 then 1: no single order
        CheckResult r = check(new Hist()
                .write(1, "x", "1", 0, 100)
                .write(2, "x", "2", 0, 100)
                .read(3, "x", "1", 110, 120)
                .read(4, "x", "2", 130, 140));
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void readingAnInitialAbsentValueIsLinearizableUntilTheFirstWriteCompletes() {
        assertThat(check(new Hist()
                                .read(1, "x", null, 0, 5)
                                .write(2, "x", "1", 3, 10)
                                .read(1, "x", null, 6, 8))
                        .verdict())
                .isEqualTo(Verdict.VALID);
        assertThat(check(new Hist().write(2, "x", "1", 0, 10).read(1, "x", null, 11, 12))
                        .verdict())
                .isEqualTo(Verdict.INVALID);
    }

    @Test
    void failedWritesNeverTakeEffect() {
        CheckResult r = check(new Hist().writeFailed(1, "x", "1", 0, 10).read(2, "x", "1", 20, 30));
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void aHistoryIsValidOnlyIfAnUnknownWriteTookEffect() {
        CheckResult r = check(new Hist().writeUnknown(1, "x", "1", 0, 10).read(2, "x", "1", 50, 60));
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.explanation()).contains("1 of them unknown");
    }

    @Test
    void anUnknownWriteMayTakeEffectLongAfterItsClientGaveUp() {
        // the client saw ConnectionLoss at 10, but the write was applied after p2's write
        CheckResult r = check(new Hist()
                .writeUnknown(1, "x", "1", 0, 10)
                .write(2, "x", "2", 20, 30)
                .read(3, "x", "1", 40, 50));
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void anUnknownWriteThatWasObservedCannotBeUnobserved() {
        // valid if the unknown write is dropped or taken, but not both: seen as "2", then "1" comes back
        CheckResult r = check(new Hist()
                .write(1, "x", "1", 0, 10)
                .writeUnknown(2, "x", "2", 20, 25)
                .read(3, "x", "2", 30, 40)
                .read(3, "x", "1", 50, 60));
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.counterexample()).extracting(Operation::id).contains(3L);
        // without the read that observed it, the unknown write can simply not have happened
        CheckResult without = check(new Hist()
                .write(1, "x", "1", 0, 10)
                .writeUnknown(2, "x", "2", 20, 25)
                .read(3, "x", "1", 50, 60));
        assertThat(without.verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void casTakesEffectOnlyOnItsExpectedValue() {
        assertThat(check(new Hist()
                                .write(1, "x", "1", 0, 10)
                                .cas(2, "x", "1", "2", 20, 30)
                                .read(3, "x", "2", 40, 50))
                        .verdict())
                .isEqualTo(Verdict.VALID);
        // two CAS from the same value cannot both succeed
        assertThat(check(new Hist()
                                .write(1, "x", "1", 0, 10)
                                .cas(2, "x", "1", "2", 20, 30)
                                .cas(3, "x", "1", "3", 20, 30))
                        .verdict())
                .isEqualTo(Verdict.INVALID);
    }

    @Test
    void keysAreCheckedIndependently() {
        CheckResult r = check(new Hist()
                .write(1, "x", "1", 0, 10)
                .write(1, "y", "a", 0, 10)
                .read(2, "y", "a", 20, 30)
                .write(1, "x", "2", 20, 30)
                .read(2, "x", "1", 40, 50));
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.key()).contains("x");
        assertThat(check(new Hist().write(1, "x", "1", 0, 10).read(2, "y", null, 20, 30))
                        .verdict())
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void aUserModelPlugsIn() {
        // a counter: "inc" adds one, "get" returns the count
        Model<Integer> counter = new Model<>() {
            @Override
            public Integer init() {
                return 0;
            }

            @Override
            public Integer step(Integer state, Operation op) {
                if (op.kind().name().equals("inc")) {
                    return state + 1;
                }
                return op.outcome() == Outcome.UNKNOWN || String.valueOf(state).equals(op.result()) ? state : null;
            }

            @Override
            public String partition(Operation op) {
                return "counter";
            }
        };
        History h = new History();
        h.invoke(1, OpKind.of("inc"), "c", null).ok();
        h.invoke(2, OpKind.of("inc"), "c", null).unknown("timeout");
        h.invoke(1, OpKind.of("get"), "c", null).ok("2");
        assertThat(Linearizability.of(counter).check(h).verdict()).isEqualTo(Verdict.VALID);
        h.invoke(1, OpKind.of("get"), "c", null).ok("1");
        assertThat(Linearizability.of(counter).check(h).verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void anExhaustedBudgetAnswersUnknownQuickly() {
        // many concurrent writes of distinct values and one read no order can explain: the search explores a lot
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ops.add(new Operation(i, i, OpKind.WRITE, "x", "v" + i, null, Outcome.OK, null, null, 0, 1_000_000));
        }
        ops.add(new Operation(60, 99, OpKind.READ, "x", null, null, Outcome.OK, "never", null, 0, 1_000_000));
        CheckResult r = Linearizability.register().maxSteps(10_000).check(ops);
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.explanation()).contains("after 10000 search steps in total: the step limit of 10000 ran out");
        CheckResult timed =
                Linearizability.register().timeLimit(Duration.ofMillis(200)).check(ops);
        assertThat(timed.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(timed.explanation()).contains("time limit of 200 ms");
    }

    /** 60 concurrent writes of distinct values and a read of a value none wrote: about 2^60 orders to rule out. */
    private static List<Operation> hardKey(String key, int firstId) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ops.add(new Operation(
                    firstId + i, i, OpKind.WRITE, key, "v" + i, null, Outcome.OK, null, null, 0, 1_000_000));
        }
        ops.add(new Operation(firstId + 60, 99, OpKind.READ, key, null, null, Outcome.OK, "never", null, 0, 1_000_000));
        return ops;
    }

    private static long stepsOf(CheckResult r) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\((\\d+) search steps\\)").matcher(r.explanation());
        assertThat(m.find()).as(r.explanation()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void maxStepsIsExactOverEveryKey() {
        Hist h = new Hist();
        for (int i = 0; i < 40; i++) {
            h.write(1 + i % 3, "k" + i % 4, "v" + i, i * 10L, i * 10L + 25).read(4, "k" + i % 4, null, 0, 400);
        }
        List<Operation> ops = h.build().operations();
        for (int threads = 1; threads <= 2; threads++) {
            CheckResult free = Linearizability.register().threads(threads).check(ops);
            assertThat(free.verdict()).isEqualTo(Verdict.VALID);
            long needed = stepsOf(free);
            CheckResult enough =
                    Linearizability.register().threads(threads).maxSteps(needed).check(ops);
            assertThat(enough.verdict()).as(enough.toString()).isEqualTo(Verdict.VALID);
            CheckResult one = Linearizability.register()
                    .threads(threads)
                    .maxSteps(needed - 1)
                    .check(ops);
            assertThat(one.verdict()).isEqualTo(Verdict.UNKNOWN);
            assertThat(one.explanation())
                    .contains("after " + (needed - 1) + " search steps in total: the step limit of " + (needed - 1));
        }
    }

    @Test
    void aHardKeyDoesNotHideAnIllegalOne() {
        // "hard" (61 operations) is searched first, as the smaller key, and cannot be decided in the budget; "z" (103
        // operations) is plainly illegal (a stale read at its end)
        List<Operation> ops = new ArrayList<>(hardKey("hard", 1_000));
        Hist z = new Hist();
        for (int i = 0; i < 100; i++) {
            z.write(1, "z", "w" + i, 1_000 + 10 * i, 1_005 + 10 * i);
        }
        ops.addAll(z.write(1, "z", "1", 2_000, 2_010)
                .write(1, "z", "2", 2_020, 2_030)
                .read(2, "z", "1", 2_040, 2_050)
                .build()
                .operations());
        for (int threads = 1; threads <= 2; threads++) {
            CheckResult r = Linearizability.register()
                    .threads(threads)
                    .maxSteps(2_000_000)
                    .check(ops);
            assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.INVALID);
            assertThat(r.key()).contains("z");
        }
    }

    @Test
    void unknownOnlyWhenNoKeyIsIllegalAndSomeAreUndecided() {
        List<Operation> ops = new ArrayList<>(hardKey("hard", 100));
        ops.addAll(new Hist()
                .write(1, "z", "1", 0, 10)
                .read(2, "z", "1", 40, 50)
                .build()
                .operations());
        CheckResult r = Linearizability.register().maxSteps(200_000).check(ops);
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.key()).contains("hard");
        assertThat(r.explanation()).startsWith("no key is illegal, but 1 of 2 keys are undecided (hard)");
    }

    @Test
    void theCounterexampleIsMinimal() {
        // 100 sequential writes on x, each read back; the read after write #"61" returns "60"
        Hist h = new Hist();
        for (int i = 1; i <= 100; i++) {
            long t = i * 100L;
            h.write(1, "x", String.valueOf(i), t, t + 10)
                    .read(2, "x", String.valueOf(i == 61 ? 60 : i), t + 20, t + 30);
            h.write(3, "y", String.valueOf(i), t, t + 90);
        }
        CheckResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.key()).contains("x");
        // write "61" completed before the read was invoked, and the only write of "60" came before it: nothing else is
        // needed
        assertThat(r.counterexample())
                .extracting(Operation::describe)
                .satisfiesExactly(
                        w61 -> assertThat(w61).contains("write x \"61\" OK"),
                        read -> assertThat(read).contains("read x OK -> \"60\""));
        assertThat(r.explanation())
                .contains("these 2 operations cannot be linearized even if any other operation on the key did not"
                        + " happen (a minimal counterexample");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Linearizability.register().threads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be at least 1, got 0");
        assertThatThrownBy(() -> Linearizability.register().timeLimit(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> Linearizability.register().maxSteps(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
