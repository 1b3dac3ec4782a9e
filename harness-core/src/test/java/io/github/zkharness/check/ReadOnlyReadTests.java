package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.History;
import io.github.zkharness.history.HistoryJson;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Operations;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads served read-only: possibly stale by any amount, never evidence against the writes. */
class ReadOnlyReadTests {

    /** p1 writes 1, 2, 3; p2, on a read-only server, then reads 1, the initial value, and 2. */
    private static List<Operation> staleReads(boolean servedReadOnly) {
        Operations ops = new Operations();
        return List.of(
                ops.write(1, "x", "1").between(0, 10).ok(),
                ops.write(1, "x", "2").between(20, 30).ok(),
                ops.write(1, "x", "3").between(40, 50).ok(),
                read(ops, servedReadOnly).between(60, 70).ok("1"),
                read(ops, servedReadOnly).between(80, 90).ok(null),
                read(ops, servedReadOnly).between(100, 110).ok("2"));
    }

    private static Operations.Builder read(Operations ops, boolean servedReadOnly) {
        return servedReadOnly ? ops.readOnlyRead(2, "x") : ops.read(2, "x");
    }

    @Test
    void staleReadsServedReadOnlyAreValidWhereThePlainReadsAreNot() {
        History readOnly = History.of(staleReads(true));
        CheckResult strict = Linearizability.register().check(readOnly);
        assertThat(strict.verdict()).as(strict.toString()).isEqualTo(Verdict.VALID);
        assertThat(strict.explanation()).contains("3 reads served read-only left out");
        CheckResult documented = ZooKeeperConsistency.of().check(readOnly);
        assertThat(documented.verdict()).as(documented.toString()).isEqualTo(Verdict.VALID);

        History plain = History.of(staleReads(false));
        assertThat(Linearizability.register().check(plain).verdict()).isEqualTo(Verdict.INVALID);
        assertThat(ZooKeeperConsistency.of().check(plain).toString())
                .contains("session p2 went back in time (monotonic reads)");
    }

    @Test
    void aReadServedReadOnlyStillReturnsOnlyWhatWasWritten() {
        Operations ops = new Operations();
        History h = History.of(List.of(
                ops.write(1, "x", "1").between(0, 10).ok(),
                ops.write(1, "x", "9").between(20, 30).fail("NotReadOnlyException"),
                ops.readOnlyRead(2, "x").between(40, 50).ok("9")));
        CheckResult strict = Linearizability.register().check(h);
        assertThat(strict.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(strict.key()).contains("x");
        assertThat(strict.explanation())
                .startsWith("#2 p2 read-only-read x OK -> \"9\"")
                .contains("was served read-only, so it may be stale, but it returned a value that no write which"
                        + " may have taken effect before it completed wrote (only writes that failed did)");
        assertThat(strict.counterexample()).extracting(Operation::id).containsExactly(2L, 1L);
        CheckResult documented = ZooKeeperConsistency.of().check(h);
        assertThat(documented.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(documented.toString()).contains("(only writes that failed did)");
    }

    @Test
    void aReadServedReadOnlyCannotReturnAValueFromTheFuture() {
        Operations ops = new Operations();
        History h = History.of(List.of(
                ops.readOnlyRead(2, "x").between(0, 10).ok("5"),
                ops.write(1, "x", "5").between(20, 30).ok()));
        assertThat(Linearizability.register().check(h).verdict()).isEqualTo(Verdict.INVALID);
        assertThat(ZooKeeperConsistency.of().check(h).toString()).contains("a read from the future");
        // a write that may take effect late (UNKNOWN), invoked before the read completed, may be what it returned
        Operations late = new Operations();
        History unknown = History.of(List.of(
                late.write(1, "x", "5").between(0, 5).unknown("ConnectionLoss"),
                late.readOnlyRead(2, "x").between(2, 10).ok("5")));
        assertThat(Linearizability.register().check(unknown).verdict()).isEqualTo(Verdict.VALID);
        assertThat(ZooKeeperConsistency.of().check(unknown).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void readsServedReadOnlyDoNotHideWritesThatAreNotLinearizable() {
        Operations ops = new Operations();
        // the CAS found "1" although "2" had overwritten it before the CAS was invoked
        History h = History.of(List.of(
                ops.write(1, "x", "1").between(0, 10).ok(),
                ops.write(1, "x", "2").between(20, 30).ok(),
                ops.cas(3, "x", "1", "3").between(40, 50).ok(),
                ops.readOnlyRead(2, "x").between(60, 70).ok("1")));
        assertThat(Linearizability.register().check(h).verdict()).isEqualTo(Verdict.INVALID);
        CheckResult documented = ZooKeeperConsistency.of().check(h);
        assertThat(documented.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(documented.parts())
                .filteredOn(p -> p.verdict() == Verdict.INVALID)
                .extracting(CheckResult::checker)
                .containsExactly("linearizable-writes");
    }

    @Test
    void historyJsonKeepsAReadServedReadOnly() {
        History h = History.of(staleReads(true));
        String json = HistoryJson.toJson(h);
        assertThat(json).contains("\"kind\": \"read-only-read\"");
        History back = HistoryJson.fromJson(json);
        assertThat(back.entries()).isEqualTo(h.entries());
        assertThat(back.operations().get(3).kind()).isSameAs(OpKind.READ_ONLY_READ);
        assertThat(Linearizability.register().check(back).verdict()).isEqualTo(Verdict.VALID);
        assertThat(OpKind.READ_ONLY_READ.isRead()).isTrue();
    }
}
