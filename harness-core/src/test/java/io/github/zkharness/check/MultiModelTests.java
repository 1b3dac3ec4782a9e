package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.History;
import io.github.zkharness.history.Operations;
import io.github.zkharness.history.ZkMultiClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiModelTests {

    private final Operations ops = new Operations();
    private final Linearizability<MultiModel.Group> check =
            Linearizability.of(MultiModel.startingWith("0")).named("multi-atomicity");

    private Operations.Builder multi(int process, String writes) {
        return ops.of(process, ZkMultiClient.MULTI, "/accounts", writes);
    }

    private Operations.Builder read(int process, String keys) {
        return ops.of(process, ZkMultiClient.MULTI_READ, "/accounts", keys);
    }

    @Test
    void readsThatSeeWholeMultisAreValidAndUnknownMultisMayHappenOrNot() {
        History h = History.of(List.of(
                read(3, "a,b").between(0, 5).ok("a=0,b=0"),
                multi(1, "a=1,b=1").between(10, 20).ok(),
                read(3, "a,b").between(12, 14).ok("a=0,b=0"), // overlaps the multi: before it
                read(3, "a,b").between(25, 30).ok("a=1,b=1"),
                multi(2, "a=2,b=2").between(40, 50).unknown("ConnectionLoss"),
                read(3, "a,b").between(60, 70).ok("a=1,b=1"), // the unknown multi has not happened yet
                read(3, "a,b").between(80, 90).ok("a=2,b=2"), // now it has, entirely
                multi(1, "a=3,b=3").between(95, 99).fail("BadVersion")));

        CheckResult r = check.check(h);

        assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aReadThatSeesHalfOfAMultiIsInvalidAndTheCounterexampleNamesBoth() {
        History h = History.of(List.of(
                multi(1, "a=1,b=1").between(0, 10).ok(),
                multi(2, "a=2,b=2").between(20, 40).ok(),
                read(3, "a,b").between(25, 35).ok("a=2,b=1"), // a torn read: a from #1, b from #0
                read(3, "a,b").between(50, 60).ok("a=2,b=2")));

        CheckResult r = check.check(h);

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.checker()).isEqualTo("multi-atomicity");
        // minimal: no order of any subset of the other operations lets the read see a=2 with b=1
        assertThat(r.counterexample()).extracting(o -> o.id()).containsExactly(2L);
        assertThat(r.explanation())
                .startsWith("not linearizable: on key /accounts")
                .contains("#2 p3 multi-read /accounts \"a,b\" OK -> \"a=2,b=1\"");
    }

    @Test
    void aMultiThatTookEffectOnlyInPartIsInvalid() {
        History h = History.of(List.of(
                multi(1, "a=1,b=1,c=1").between(0, 10).ok(),
                read(2, "a,b,c").between(20, 30).ok("a=1,b=0,c=1")));

        CheckResult r = check.check(h);

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.counterexample()).extracting(o -> o.id()).containsExactly(1L);
        assertThat(r.explanation()).contains("in state {a=\"1\", b=\"1\", c=\"1\", others \"0\"}");
    }

    @Test
    void encodingKeepsCommasEqualsAndAbsence() {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        values.put("b", "x=1,y%");
        values.put("a", null);
        String encoded = ZkMultiClient.encode(values);

        assertThat(encoded).isEqualTo("a,b=x%3D1%2Cy%25");
        assertThat(ZkMultiClient.decode(encoded)).isEqualTo(values);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZkMultiClient.decode("a=%2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a=%2\"");
    }
}
