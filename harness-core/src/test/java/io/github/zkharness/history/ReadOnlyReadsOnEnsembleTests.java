package io.github.zkharness.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Fault;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.check.ZooKeeperConsistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

class ReadOnlyReadsOnEnsembleTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aReadOnlyClientReadingWhileTheMajorityWritesIsRecordedAsSuchAndTheHistoryIsValid() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).readOnlyMode(true).start();
                ZooKeeper writerSession = zk.leader().newZooKeeper()) {
            ZkRegisterClient writer = new ZkRegisterClient(writerSession, 1, history, "/register");
            assertThat(writer.write("x", "1").outcome()).isEqualTo(Outcome.OK);
            ZkNode cutOff = zk.followers().get(0);
            long written = writerSession.exists("/register/x", false).getMzxid();
            zk.await(
                    "node " + cutOff.id() + " has x=1",
                    WAIT,
                    () -> cutOff.status().lastZxid() >= written);

            Fault partition = zk.network().isolate(cutOff);
            cutOff.awaitRole(Role.READ_ONLY, WAIT);
            try (ZooKeeper readerSession = new ZooKeeper(cutOff.connectString(), 30_000, e -> {}, true)) {
                await("a canBeReadOnly client connected read-only to node " + cutOff.id())
                        .atMost(WAIT)
                        .until(() -> readerSession.getState() == ZooKeeper.States.CONNECTEDREADONLY);
                ZkRegisterClient reader = new ZkRegisterClient(readerSession, 2, history, "/register");
                List<Operation> reads = new ArrayList<>();
                for (int i = 2; i <= 4; i++) {
                    assertThat(writer.write("x", String.valueOf(i)).outcome()).isEqualTo(Outcome.OK);
                    reads.add(reader.read("x"));
                    // a read-only server refuses sync: recorded as a read-only read, and FAIL
                    Operation synced = reader.read("x", true);
                    assertThat(synced.kind()).isEqualTo(OpKind.READ_ONLY_READ);
                    assertThat(synced.outcome()).isEqualTo(Outcome.FAIL);
                    assertThat(synced.reason()).isEqualTo("sync: NOTREADONLY");
                }
                Operation refused = reader.write("x", "from the read-only side");
                assertThat(refused.outcome()).isEqualTo(Outcome.FAIL);
                assertThat(refused.reason()).isEqualTo("NotReadOnlyException");
                // every read came from the read-only server: the value before the partition, after newer writes
                assertThat(reads)
                        .allSatisfy(r -> assertThat(r.kind()).isEqualTo(OpKind.READ_ONLY_READ))
                        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.OK))
                        .allSatisfy(r -> assertThat(r.result()).isEqualTo("1"));
                partition.heal();
                cutOff.awaitRole(Role.FOLLOWER, WAIT);
            }
        }
        CheckResult strict = Linearizability.register().check(history);
        assertThat(strict.verdict()).as(strict.toString()).isEqualTo(Verdict.VALID);
        CheckResult documented = ZooKeeperConsistency.of().check(history);
        assertThat(documented.verdict()).as(documented.toString()).isEqualTo(Verdict.VALID);
        // the same reads recorded as plain reads would be stale reads, which the strict check rejects
        List<Operation> asPlainReads = new ArrayList<>();
        for (Operation o : history.operations()) {
            asPlainReads.add(
                    o.kind().equals(OpKind.READ_ONLY_READ)
                            ? new Operation(
                                    o.id(),
                                    o.process(),
                                    OpKind.READ,
                                    o.key(),
                                    o.value(),
                                    o.expected(),
                                    o.outcome(),
                                    o.result(),
                                    o.reason(),
                                    o.invokeNanos(),
                                    o.completeNanos())
                            : o);
        }
        assertThat(Linearizability.register().check(asPlainReads).verdict()).isEqualTo(Verdict.INVALID);
    }

    /**
     * A read invoked before a new {@code canBeReadOnly} client has connected (its state {@code CONNECTING}) waits in
     * the client's queue and is served once the client connects, here read-only: the recorder cannot know that at
     * the invocation, so the read is FAIL, never a plain read that returned a stale value. A client that connects
     * before the read is invoked records a read-only read instead: the test tries until one read was queued.
     */
    @Test
    void aReadDuringWhichTheClientTurnedReadOnlyIsRecordedAsFailed() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).readOnlyMode(true).start()) {
            ZkNode cutOff = zk.followers().get(0);
            try (Fault partition = zk.network().isolate(cutOff)) {
                cutOff.awaitRole(Role.READ_ONLY, WAIT);
                Operation queued = null;
                for (int attempt = 1; attempt <= 20 && queued == null; attempt++) {
                    try (ZooKeeper session = new ZooKeeper(cutOff.connectString(), 30_000, e -> {}, true)) {
                        Operation read = new ZkRegisterClient(session, attempt, history, "/register").read("x");
                        if (read.kind().equals(OpKind.READ)) {
                            queued = read;
                        } else {
                            assertThat(read.kind()).isEqualTo(OpKind.READ_ONLY_READ); // connected before the read
                        }
                        assertThat(session.getState()).isEqualTo(ZooKeeper.States.CONNECTEDREADONLY);
                    }
                }
                assertThat(queued)
                        .as("a read invoked before the client connected, in 20 tries")
                        .isNotNull();
                assertThat(queued.outcome()).isEqualTo(Outcome.FAIL);
                assertThat(queued.reason())
                        .isEqualTo("the client turned read-only during the read: it may have been served read-only");
            }
        }
        assertThat(history.operations()).noneMatch(o -> o.kind().equals(OpKind.READ) && o.outcome() == Outcome.OK);
    }
}
