package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import org.junit.jupiter.api.Test;

class ZooKeeperConsistencyTests {

    private static CheckResult documented(History h) {
        return ZooKeeperConsistency.of().check(h);
    }

    @Test
    void aStaleReadFromAFollowerIsAcceptedByTheDocumentedModelAndRejectedByTheStrictCheck() {
        // p1 writes 1 then 2 through the leader; p2, on a follower that is behind, still reads 1 afterwards
        History h = new Hist()
                .write(1, "x", "1", 0, 10)
                .write(1, "x", "2", 20, 30)
                .read(2, "x", "1", 40, 50)
                .read(2, "x", "2", 60, 70)
                .build();
        CheckResult zk = documented(h);
        assertThat(zk.verdict()).as(zk.toString()).isEqualTo(Verdict.VALID);
        assertThat(zk.parts()).extracting(CheckResult::checker).containsExactly("linearizable-writes", "session-reads");
        CheckResult strict = Linearizability.register().check(h);
        assertThat(strict.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(strict.counterexample()).extracting(Operation::id).contains(2L);
    }

    @Test
    void aSessionThatGoesBackInTimeIsRejected() {
        History h = new Hist()
                .write(1, "x", "1", 0, 10)
                .write(1, "x", "2", 20, 30)
                .read(2, "x", "2", 40, 50)
                .read(2, "x", "1", 60, 70) // p2 saw 2, now 1 again: its new server is behind the old one
                .build();
        CheckResult r = documented(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.key()).contains("x");
        assertThat(r.toString()).contains("session p2 went back in time (monotonic reads)");
        assertThat(r.counterexample()).extracting(Operation::id).contains(2L, 3L);
    }

    @Test
    void aSessionMustReadItsOwnWrites() {
        History h = new Hist()
                .write(1, "x", "1", 0, 10)
                .write(2, "x", "2", 20, 30)
                .read(2, "x", "1", 40, 50)
                .build();
        CheckResult r = documented(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.toString()).contains("(read-your-writes)");
        // another session may still see 1: it is only stale
        History other = new Hist()
                .write(1, "x", "1", 0, 10)
                .write(2, "x", "2", 20, 30)
                .read(3, "x", "1", 40, 50)
                .build();
        assertThat(documented(other).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void readingTheInitialValueAfterSeeingAWriteIsGoingBack() {
        History h = new Hist()
                .write(1, "x", "1", 0, 10)
                .read(2, "x", "1", 20, 30)
                .read(2, "x", null, 40, 50)
                .build();
        assertThat(documented(h).verdict()).isEqualTo(Verdict.INVALID);
        History first =
                new Hist().write(1, "x", "1", 0, 10).read(2, "x", null, 40, 50).build();
        assertThat(documented(first).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aValueOnlyFailedWritesWroteCannotBeRead() {
        History h = new Hist()
                .writeFailed(1, "x", "9", 0, 10)
                .read(2, "x", "9", 20, 30)
                .build();
        CheckResult r = documented(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.toString()).contains("only writes that failed did");
    }

    @Test
    void anUnknownWriteMayBeSeenLateWithoutGoingBack() {
        // 1's write is unknown: it may have been applied after 2's, so 2 then 1 is not backwards
        History h = new Hist()
                .writeUnknown(1, "x", "1", 0, 10)
                .write(3, "x", "2", 20, 30)
                .read(2, "x", "2", 40, 50)
                .read(2, "x", "1", 60, 70)
                .build();
        assertThat(documented(h).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void writesThatAreNotLinearizableAreRejected() {
        History h = new Hist()
                .write(1, "x", "1", 0, 10)
                .cas(2, "x", "1", "2", 20, 30)
                .cas(3, "x", "1", "3", 40, 50) // 1 was already replaced by 2: this CAS cannot have succeeded
                .build();
        CheckResult r = documented(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.parts().get(0).verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.toString()).contains("linearizable-writes");
    }

    @Test
    void onlyLeavesOtherOperationsOutAndNamedNamesTheCombinedResult() {
        History h = new Hist()
                .write(1, "x", "1", 0, 10)
                .read(2, "x", "1", 20, 30)
                .read(2, "y", "never written", 20, 30)
                .build();
        assertThat(documented(h).verdict()).isEqualTo(Verdict.INVALID);
        CheckResult onlyX = ZooKeeperConsistency.of()
                .only(op -> op.key().equals("x"))
                .named("registers")
                .check(h);
        assertThat(onlyX.verdict()).as(onlyX.toString()).isEqualTo(Verdict.VALID);
        assertThat(onlyX.checker()).isEqualTo("registers");
        assertThat(onlyX.parts())
                .extracting(CheckResult::checker)
                .containsExactly("linearizable-writes", "session-reads");
        assertThat(onlyX.parts().get(1).explanation()).startsWith("1 reads on 1 keys");
    }

    @Test
    void onlyAndNamedRefuseBadInput() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ZooKeeperConsistency.of().only(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("filter must not be null");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ZooKeeperConsistency.of().named(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must not be blank, got  ");
    }
}
