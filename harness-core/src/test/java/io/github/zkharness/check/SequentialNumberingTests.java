package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.History;
import io.github.zkharness.history.Operations;
import io.github.zkharness.history.ZkSequentialClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialNumberingTests {

    private final Operations ops = new Operations();

    private Operations.Builder create(int process, String parent) {
        return ops.of(process, ZkSequentialClient.CREATE_SEQUENTIAL, parent, "job-");
    }

    @Test
    void overlappingCreatesMayGetTheirNumbersInEitherOrderAndNumbersMaySkip() {
        History h = History.of(List.of(
                create(1, "/q").between(0, 100).ok("job-0000000007"),
                create(2, "/q").between(10, 90).ok("job-0000000003"), // overlaps #0: either order
                create(3, "/q").between(120, 130).unknown("ConnectionLoss"), // may have taken 8, never seen
                create(1, "/q").between(140, 150).ok("job-0000000009"),
                create(2, "/other").between(0, 10).ok("job-0000000000")));

        CheckResult direct = SequentialNumbering.of().check(h);
        CheckResult searched = Linearizability.of(new SequentialZnodeModel()).check(h);

        assertThat(direct.verdict()).as(direct.toString()).isEqualTo(Verdict.VALID);
        assertThat(direct.explanation()).startsWith("4 OK sequential creates under 2 parents");
        assertThat(searched.verdict()).as(searched.toString()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aNumberHandedOutTwiceIsInvalid() {
        History h = History.of(List.of(
                create(1, "/q").between(0, 10).ok("job-0000000001"),
                create(2, "/q").between(5, 20).ok("job-0000000002"),
                create(3, "/q").between(6, 30).ok("a-0000000002")));

        CheckResult r = SequentialNumbering.of().check(h);

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation())
                .isEqualTo("sequence number 2 was handed out twice under /q: to #1 (p2, job-0000000002) and to #2"
                        + " (p3, a-0000000002); a parent's numbers are unique");
        assertThat(r.counterexample()).extracting(o -> o.id()).containsExactly(1L, 2L);
        assertThat(Linearizability.of(new SequentialZnodeModel()).check(h).verdict())
                .isEqualTo(Verdict.INVALID);
    }

    @Test
    void aSmallerNumberAfterALargerOneCompletedIsInvalid() {
        History h = History.of(List.of(
                create(1, "/q").between(0, 1_000).ok("job-0000000005"),
                create(2, "/q").between(500, 2_500).ok("job-0000000006"),
                create(3, "/q").between(2_000, 3_000).ok("job-0000000004"), // after #0 completed, yet smaller
                create(1, "/other").between(0, 10).ok("job-0000000000")));

        CheckResult r = SequentialNumbering.of().check(h);

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.key()).contains("/q");
        assertThat(r.explanation())
                .isEqualTo("sequence numbers under /q went back in real time: #0 (p1) got 5 (job-0000000005) and"
                        + " completed at 0.001 ms, before #2 (p3) was invoked at 0.002 ms, which got the smaller 4"
                        + " (job-0000000004); a create that completed before another began must get the smaller"
                        + " number");
        assertThat(r.counterexample()).extracting(o -> o.id()).containsExactly(0L, 2L);

        CheckResult searched = Linearizability.of(new SequentialZnodeModel()).check(h);
        assertThat(searched.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(searched.counterexample()).extracting(o -> o.id()).containsExactly(0L, 2L);
    }

    @Test
    void aNameWithoutANumberIsInvalid() {
        History h = History.of(List.of(create(1, "/q").between(0, 10).ok("job-7")));

        CheckResult r = SequentialNumbering.of().check(h);

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation()).contains("\"job-7\", which does not end with a ten-digit sequence number");
    }
}
