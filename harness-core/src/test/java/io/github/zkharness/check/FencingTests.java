package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.history.Event;
import io.github.zkharness.history.History;
import io.github.zkharness.history.Operations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FencingTests {

    /** Events at 1 ms steps, in the order given. */
    private static final class Script {
        private final Operations ops = new Operations();
        private final List<Event> events = new ArrayList<>();

        Script add(int process, String kind, String description) {
            events.add(ops.event(events.size() * 1_000_000L, "process-" + process, kind, description));
            return this;
        }

        History history() {
            return History.of(events);
        }
    }

    /** Process 1 holds with token 1; its session expires; process 2 acquires with token 2 while 1 still believes. */
    private static Script overlap() {
        return new Script()
                .add(1, History.LOCK_ACQUIRED, "L")
                .add(1, Fencing.TOKEN, "L#1")
                .add(1, Fencing.ACCEPTED, "L#1")
                .add(2, History.LOCK_ACQUIRED, "L")
                .add(2, Fencing.TOKEN, "L#2")
                .add(2, Fencing.ACCEPTED, "L#2");
    }

    @Test
    void anOverlapIsHarmlessWhenTheResourceRejectedTheStaleToken() {
        CheckResult result = Fencing.of()
                .check(overlap()
                        .add(1, Fencing.REJECTED, "L#1")
                        .add(1, History.LOCK_LOST, "L")
                        .history());
        assertThat(result.isValid()).as(result.toString()).isTrue();
        assertThat(result.explanation())
                .isEqualTo("2 holdings of 1 locks, 1 overlapping pairs; the resource accepted 2 writes with"
                        + " never-decreasing tokens and rejected 1");
        assertThat(MutualExclusion.of()
                        .check(overlap().add(1, Fencing.REJECTED, "L#1").history())
                        .verdict())
                .isEqualTo(Verdict.INVALID); // what fencing makes safe, mutual exclusion still calls an overlap
    }

    @Test
    void aStaleTokenAcceptedAfterANewerOneIsInvalid() {
        CheckResult result =
                Fencing.of().check(overlap().add(1, Fencing.ACCEPTED, "L#1").history());
        assertThat(result.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(result.key()).hasValue("L");
        assertThat(result.explanation())
                .startsWith("the resource protected by lock L accepted a stale token: process-2 had a write accepted"
                        + " with token 2 at 5.0 ms, then process-1 had a write accepted with token 1 at 6.0 ms.");
        assertThat(result.events()).extracting(Event::description).containsExactly("L#1", "L#2", "L#1");
    }

    @Test
    void anOverlapWithoutAnyFencedWriteIsInvalid() {
        CheckResult result = Fencing.of()
                .check(new Script()
                        .add(1, History.LOCK_ACQUIRED, "L")
                        .add(1, Fencing.TOKEN, "L#1")
                        .add(2, History.LOCK_ACQUIRED, "L")
                        .add(2, Fencing.TOKEN, "L#2")
                        .history());
        assertThat(result.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(result.explanation())
                .isEqualTo("process-1 and process-2 held lock L at once from 2.0 ms and the protected resource"
                        + " recorded no fenced write (Fencing.accepted / Fencing.rejected), so nothing shows the"
                        + " overlap was harmless.");
    }

    @Test
    void anOverlapWithAHolderWithoutTokenIsInvalid() {
        CheckResult result = Fencing.of()
                .check(new Script()
                        .add(1, History.LOCK_ACQUIRED, "L")
                        .add(2, History.LOCK_ACQUIRED, "L")
                        .add(2, Fencing.TOKEN, "L#2")
                        .add(2, Fencing.ACCEPTED, "L#2")
                        .history());
        assertThat(result.explanation())
                .endsWith("and process-1 had no fencing token (Fencing.token) for its holding.");
    }

    @Test
    void tokensThatDoNotGrowAndTokensNeverGivenAreInvalid() {
        CheckResult shrinking = Fencing.of()
                .check(new Script()
                        .add(1, History.LOCK_ACQUIRED, "L")
                        .add(1, Fencing.TOKEN, "L#5")
                        .add(1, History.LOCK_RELEASED, "L")
                        .add(2, History.LOCK_ACQUIRED, "L")
                        .add(2, Fencing.TOKEN, "L#5")
                        .history());
        assertThat(shrinking.explanation())
                .startsWith("lock L handed out tokens that do not increase: process-1 was given token 5 at 1.0 ms,"
                        + " then process-2 was given token 5 at 4.0 ms.");
        CheckResult forged = Fencing.of()
                .check(new Script()
                        .add(1, History.LOCK_ACQUIRED, "L")
                        .add(1, Fencing.TOKEN, "L#1")
                        .add(2, Fencing.ACCEPTED, "L#1")
                        .history());
        assertThat(forged.explanation())
                .isEqualTo("on the resource protected by lock L, process-2 had a write accepted with token 1 at"
                        + " 2.0 ms, a token it was never given for that lock.");
        CheckResult garbled =
                Fencing.of().check(new Script().add(1, Fencing.TOKEN, "L#x").history());
        assertThat(garbled.verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void holdersInTurnAreValidWithOrWithoutAResource() {
        History inTurn = new Script()
                .add(1, History.LOCK_ACQUIRED, "L")
                .add(1, Fencing.TOKEN, "L#1")
                .add(1, History.LOCK_RELEASED, "L")
                .add(2, History.LOCK_ACQUIRED, "L")
                .add(2, Fencing.TOKEN, "L#3")
                .add(2, History.LOCK_RELEASED, "L")
                .history();
        assertThat(Fencing.of().check(inTurn).isValid()).isTrue();
    }

    @Test
    void theRecordingHelpersWriteWhatTheCheckerReads() {
        History history = new History();
        history.acquired(1, "L");
        assertThat(Fencing.token(history, 1, "L", 7).describe()).startsWith("process-1 fencing-token \"L#7\"");
        assertThat(Fencing.accepted(history, 1, "L", 7).kind()).isEqualTo(Fencing.ACCEPTED);
        assertThat(Fencing.rejected(history, 1, "L", 6).kind()).isEqualTo(Fencing.REJECTED);
        assertThat(Fencing.of().check(history).verdict()).isEqualTo(Verdict.INVALID); // 6 was never given
    }
}
