package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.check.ZooKeeperConsistency;
import io.github.zkharness.history.History;
import io.github.zkharness.history.ZkRegisterClient;
import java.time.Duration;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A plain read served by a follower may be stale, and ZooKeeper says so. Its Programmer's Guide promises that writes
 * are linearizable (the leader orders each between its call and its answer) and that reads are only sequentially
 * consistent: a read is answered by the one server the session is connected to, from its own copy, without asking a
 * quorum. A write is acknowledged once a majority has logged it; a follower outside that majority may apply it later,
 * and until then it answers reads with the older value.
 *
 * <p>Here one follower lags (its link to the leader is slowed by 150 ms; the leader and the other follower make the
 * quorum, so writes stay fast). A process writes {@code x} through the leader; right after each acknowledged write a
 * second process reads {@code x} through the lagging follower. The strict check ({@link Linearizability#register()})
 * flags the history: a read that began after the write completed returned the value before it. The check of what
 * ZooKeeper documents ({@link ZooKeeperConsistency}) accepts it: the writes are linearizable, and the reading session
 * never went back in time (the follower applies writes in zxid order, so each read is at least as new as the last).
 * {@code sync} before the read makes the follower catch up with the leader first; then the same history is
 * linearizable (barring the corner case of a leader that lost its quorum without knowing it yet, see
 * {@link ZooKeeperConsistency}).
 */
class StaleFollowerReadExample {

    @Test
    void aReadThroughALaggingFollowerIsStaleWhichZooKeeperAllows() throws Exception {
        History history = run(false);
        CheckResult strict = Linearizability.register().check(history);
        CheckResult documented = ZooKeeperConsistency.of().check(history);

        assertThat(strict.verdict()).as(strict.toString()).isEqualTo(Verdict.INVALID);
        assertThat(strict.toString()).contains("read"); // the stale read is the counterexample
        assertThat(documented.verdict()).as(documented.toString()).isEqualTo(Verdict.VALID);
    }

    @Test
    void syncBeforeTheReadMakesTheFollowerCatchUp() throws Exception {
        History history = run(true);
        CheckResult strict = Linearizability.register().check(history);
        assertThat(strict.verdict()).as(strict.toString()).isEqualTo(Verdict.VALID);
    }

    /** 10 writes through the leader, each followed by a read (with or without sync) through the lagging follower. */
    private static History run(boolean sync) throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode leader = zk.leader();
            ZkNode lagging = zk.followers().get(0);
            try (ZooKeeper viaLeader = leader.newZooKeeper();
                    ZooKeeper viaFollower = lagging.newZooKeeper()) {
                ZkRegisterClient writer = new ZkRegisterClient(viaLeader, 1, history, "/register");
                ZkRegisterClient reader = new ZkRegisterClient(viaFollower, 2, history, "/register");
                writer.write("x", "0");
                reader.read("x", true); // the follower has x before we start
                try (Fault slow = zk.network().latency(leader, lagging, Duration.ofMillis(150), Duration.ZERO)) {
                    for (int i = 1; i <= 10; i++) {
                        writer.write("x", String.valueOf(i)); // acknowledged by leader + the other
                        reader.read("x", sync); // answered by the lagging follower
                    }
                }
            }
        }
        return history;
    }
}
