package io.github.zkharness.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.Entry;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.Outcome;
import io.github.zkharness.history.ZkMultiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiReadsTests {

    private final List<Entry> entries = new ArrayList<>();

    private static long ns(long ms) {
        return ms * 1_000_000L;
    }

    private MultiReadsTests multi(int p, String value, Outcome outcome, long from, long to) {
        String v = ZkMultiClient.encode(Map.of("a", value, "b", value, "c", value));
        entries.add(new Operation(
                entries.size(),
                p,
                ZkMultiClient.MULTI,
                "/w/multi",
                v,
                null,
                outcome,
                null,
                outcome == Outcome.OK ? null : "ConnectionLoss",
                ns(from),
                ns(to)));
        return this;
    }

    private MultiReadsTests read(int p, String a, String b, String c, long from, long to) {
        entries.add(new Operation(
                entries.size(),
                p,
                ZkMultiClient.MULTI_READ,
                "/w/multi",
                "a,b,c",
                null,
                Outcome.OK,
                ZkMultiClient.encode(Map.of("a", a, "b", b, "c", c)),
                null,
                ns(from),
                ns(to)));
        return this;
    }

    private CheckResult check() {
        return new MultiReads("0").check(History.of(entries));
    }

    @Test
    void aStaleButWholeReadIsAllowedAsZooKeeperAllowsIt() {
        // p2's sync and read were answered by a leader that had lost its quorum: it missed the second multi
        CheckResult r = multi(1, "1", Outcome.OK, 0, 10)
                .multi(1, "2", Outcome.OK, 20, 30)
                .read(2, "1", "1", "1", 40, 50)
                .read(2, "0", "0", "0", 60, 70)
                .check();
        assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.VALID);
        assertThat(r.checker()).isEqualTo("multi-atomic");
        assertThat(r.explanation()).startsWith("2 multi reads each saw all of one multi or none");
    }

    @Test
    void aReadThatSeesPartOfAMultiIsAViolation() {
        CheckResult r = multi(1, "1", Outcome.OK, 0, 10)
                .multi(1, "2", Outcome.OK, 20, 30)
                .read(2, "2", "1", "1", 40, 50)
                .check();
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation()).contains("saw {a=2, b=1, c=1}").contains("sees all of one multi or none of it");
        assertThat(r.counterexample()).extracting(Operation::id).containsExactly(2L, 0L, 1L);
    }

    @Test
    void aReadOfAMultiInvokedAfterItCompletedIsAViolationButAnUnknownMultiMayHaveTakenEffect() {
        CheckResult future =
                multi(1, "1", Outcome.OK, 20, 30).read(2, "1", "1", "1", 0, 10).check();
        assertThat(future.verdict()).isEqualTo(Verdict.INVALID);
        entries.clear();
        CheckResult unknown = multi(1, "1", Outcome.UNKNOWN, 0, 10)
                .read(2, "1", "1", "1", 40, 50)
                .check();
        assertThat(unknown.verdict()).as(unknown.toString()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aValueOnlyAFailedMultiWroteIsAViolation() {
        CheckResult r = multi(1, "1", Outcome.FAIL, 0, 10)
                .read(2, "1", "1", "1", 20, 30)
                .check();
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    }
}
