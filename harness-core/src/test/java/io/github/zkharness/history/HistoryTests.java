package io.github.zkharness.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

class HistoryTests {

    @Test
    void recordingFromManyThreadsIsCompleteAndConsistent() throws Exception {
        History h = new History();
        int threads = 8;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int p = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    Op op = h.invoke(p, OpKind.WRITE, "k" + (i % 10), p + ":" + i);
                    switch (i % 3) {
                        case 0 -> op.ok();
                        case 1 -> op.fail("BadVersion");
                        default -> op.unknown("ConnectionLoss");
                    }
                    if (i % 1000 == 0) {
                        h.event("process-" + p, "mark", String.valueOf(i));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<Operation> ops = h.operations();
        assertThat(ops).hasSize(threads * perThread);
        assertThat(h.events()).hasSize(threads * 5);
        assertThat(h.entries()).hasSize(threads * perThread + threads * 5);
        Set<Long> ids = new HashSet<>();
        for (Entry e : h.entries()) {
            assertThat(ids.add(e.id())).as("id %s unique", e.id()).isTrue();
        }
        long previous = -1;
        for (Operation o : ops) {
            assertThat(o.completed()).isTrue();
            assertThat(o.completeNanos()).isGreaterThanOrEqualTo(o.invokeNanos());
            assertThat(o.invokeNanos()).isGreaterThanOrEqualTo(previous);
            previous = o.invokeNanos();
            int i = Integer.parseInt(o.value().substring(o.value().indexOf(':') + 1));
            assertThat(o.outcome()).isEqualTo(i % 3 == 0 ? Outcome.OK : i % 3 == 1 ? Outcome.FAIL : Outcome.UNKNOWN);
        }
        // per process, operations are sequential and in program order
        for (int p = 0; p < threads; p++) {
            int proc = p;
            List<Operation> mine = ops.stream().filter(o -> o.process() == proc).toList();
            assertThat(mine).hasSize(perThread);
            for (int i = 1; i < mine.size(); i++) {
                assertThat(mine.get(i).invokeNanos())
                        .isGreaterThanOrEqualTo(mine.get(i - 1).completeNanos());
            }
        }
    }

    @Test
    void anOperationNeverCompletedIsUnknownAndCompletesOnlyOnce() {
        History h = new History();
        Op running = h.invoke(1, OpKind.WRITE, "x", "1");
        Operation snap = h.operations().get(0);
        assertThat(snap.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(snap.completeNanos()).isEqualTo(-1);
        assertThat(snap.reason()).isEqualTo("not completed");
        assertThat(snap.effectiveEndNanos()).isEqualTo(Long.MAX_VALUE);
        Operation ok = running.ok();
        assertThat(ok.outcome()).isEqualTo(Outcome.OK);
        assertThatThrownBy(() -> running.fail("again"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("#0 p1 write x was already completed");
        assertThat(h.operations().get(0).outcome()).isEqualTo(Outcome.OK);
        Operation read = h.invoke(2, OpKind.READ, "x", null).ok("1");
        assertThat(read.result()).isEqualTo("1");
        assertThat(read.describe()).startsWith("#1 p2 read x OK -> \"1\" [");
        Operation cas = h.invokeCas(3, "x", "1", "2").unknown("ConnectionLoss");
        assertThat(cas.describe()).contains("p3 cas x \"1\"->\"2\" UNKNOWN (ConnectionLoss)");
    }

    @Test
    void recordClassifiesWhatTheCallThrowsAndRethrowsIt() throws Exception {
        History h = new History();
        assertThat(h.record(1, OpKind.READ, "x", null, () -> "v", ZkOutcomes.classifier()))
                .isEqualTo("v");
        assertThatThrownBy(() -> h.record(
                        1,
                        OpKind.WRITE,
                        "x",
                        "1",
                        () -> {
                            throw new KeeperException.ConnectionLossException();
                        },
                        ZkOutcomes.classifier()))
                .isInstanceOf(KeeperException.ConnectionLossException.class);
        assertThatThrownBy(() -> h.record(
                        1,
                        OpKind.WRITE,
                        "x",
                        "2",
                        () -> {
                            throw new KeeperException.BadVersionException("/x");
                        },
                        ZkOutcomes.classifier()))
                .isInstanceOf(KeeperException.BadVersionException.class);
        assertThatThrownBy(() -> h.record(
                        1,
                        OpKind.READ,
                        "x",
                        null,
                        () -> {
                            throw new KeeperException.ConnectionLossException();
                        },
                        ZkOutcomes.classifier()))
                .isInstanceOf(KeeperException.ConnectionLossException.class);
        assertThatThrownBy(() -> h.record(
                        1,
                        OpKind.WRITE,
                        "x",
                        "3",
                        () -> {
                            throw new InterruptedException();
                        },
                        ZkOutcomes.classifier()))
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
        assertThat(h.operations())
                .extracting(Operation::outcome)
                .containsExactly(Outcome.OK, Outcome.UNKNOWN, Outcome.FAIL, Outcome.FAIL, Outcome.UNKNOWN);
        assertThat(h.operations().get(1).reason()).isEqualTo("ConnectionLossException");
    }

    @Test
    void zooKeeperOutcomeTable() {
        OpKind w = OpKind.WRITE;
        assertThat(ZkOutcomes.classify(w, new KeeperException.ConnectionLossException()))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(ZkOutcomes.classify(w, new KeeperException.OperationTimeoutException()))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(ZkOutcomes.classify(w, new KeeperException.SessionExpiredException()))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(ZkOutcomes.classify(w, new KeeperException.NodeExistsException()))
                .isEqualTo(Outcome.FAIL);
        assertThat(ZkOutcomes.classify(w, new KeeperException.NoNodeException()))
                .isEqualTo(Outcome.FAIL);
        assertThat(ZkOutcomes.classify(w, new KeeperException.BadVersionException()))
                .isEqualTo(Outcome.FAIL);
        assertThat(ZkOutcomes.classify(w, new KeeperException.NoAuthException()))
                .isEqualTo(Outcome.FAIL);
        assertThat(ZkOutcomes.classify(OpKind.CAS, new InterruptedException())).isEqualTo(Outcome.UNKNOWN);
        assertThat(ZkOutcomes.classify(OpKind.READ, new KeeperException.ConnectionLossException()))
                .isEqualTo(Outcome.FAIL);
        assertThat(ZkOutcomes.classify(OpKind.SYNC_READ, new InterruptedException()))
                .isEqualTo(Outcome.FAIL);
        assertThat(ZkOutcomes.classify(w, new IllegalArgumentException("Invalid path")))
                .isEqualTo(Outcome.FAIL);
        assertThat(ZkOutcomes.classify(w, new RuntimeException())).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void eventsFollowTheDocumentedVocabulary() {
        History h = new History();
        h.faultStarted("chaos", "partition 1,2|3");
        h.role(2, "LEADER");
        h.acquired(4, "lock");
        h.lost(4, "lock");
        h.released(4, "lock");
        h.faultEnded("chaos", "partition 1,2|3");
        assertThat(h.events())
                .extracting(Event::source, Event::kind, Event::description)
                .containsExactly(
                        tuple("chaos", History.FAULT_START, "partition 1,2|3"),
                        tuple("node-2", History.ROLE, "LEADER"),
                        tuple("process-4", History.LOCK_ACQUIRED, "lock"),
                        tuple("process-4", History.LOCK_LOST, "lock"),
                        tuple("process-4", History.LOCK_RELEASED, "lock"),
                        tuple("chaos", History.FAULT_END, "partition 1,2|3"));
        assertThat(h.toString()).isEqualTo("History[0 ok, 0 fail, 0 unknown, 6 events]");
    }

    @Test
    void badInputIsNamed() {
        History h = new History();
        assertThatThrownBy(() -> h.invoke(1, OpKind.CAS, "x", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invokeCas");
        assertThatThrownBy(() -> h.invoke(1, OpKind.WRITE, null, "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key=null");
        assertThatThrownBy(() -> h.event("", "k", "d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-blank source");
        assertThatThrownBy(() -> OpKind.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("' '");
    }
}
