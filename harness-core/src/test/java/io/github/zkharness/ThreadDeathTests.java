package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.server.ZooKeeperThread;
import org.junit.jupiter.api.Test;

/** A thread of a node that dies of an uncaught exception is recorded and named wherever the node's state shows. */
class ThreadDeathTests {

    private static final String ELECTION_SENDER = "this node can no longer send election votes";

    @Test
    void aDeadElectionSenderIsNamedInTheStatusTheDescriptionAndEveryTimeoutMessage() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode node = zk.node(2);
            List<ThreadFailure> heard = new CopyOnWriteArrayList<>();
            try (AutoCloseable listening = node.runtime().threads().onFailure(heard::add)) {
                // a plain thread, as ZooKeeper starts its election workers, in the node's own group
                Thread t = new Thread(
                        node.runtime().threads(),
                        () -> {
                            throw new IllegalStateException("provoked by the test");
                        },
                        "WorkerSender[myid=2]");
                t.start();
                t.join(5_000);
            }
            assertEquals(1, node.threadDeaths().size(), "recorded: " + node.threadDeaths());
            ThreadFailure death = node.threadDeaths().get(0);
            assertEquals(List.of(death), heard);
            assertEquals(2, death.nodeId());
            assertEquals("WorkerSender[myid=2]", death.threadName());
            assertEquals("provoked by the test", death.error().getMessage());
            assertEquals(ELECTION_SENDER, death.consequence());
            assertTrue(death.topFrames().get(0).getClassName().startsWith(ThreadDeathTests.class.getName()));
            assertTrue(
                    death.describe()
                            .startsWith("thread WorkerSender[myid=2] died of IllegalStateException at "
                                    + "ThreadDeathTests.lambda$"),
                    death.describe());
            assertTrue(death.describe().endsWith("; " + ELECTION_SENDER), death.describe());
            assertTrue(death.toString().startsWith("node 2: thread WorkerSender[myid=2] died of"), death.toString());

            assertEquals(List.of(death), node.status().threadDeaths());
            assertTrue(
                    node.status().toString().contains(" [" + death.describe() + "]"),
                    node.status().toString());
            assertTrue(zk.describe().contains(death.describe()), zk.describe());
            assertTrue(zk.node(1).threadDeaths().isEmpty());
            ZkTimeoutException timeout =
                    assertThrows(ZkTimeoutException.class, () -> node.awaitRole(Role.OBSERVER, Duration.ofMillis(50)));
            assertTrue(timeout.getMessage().contains(death.describe()), timeout.getMessage());

            // a restart gives the node new threads: the status shows this run's deaths, the history keeps all
            node.kill().restart().awaitServing();
            assertEquals(List.of(), node.status().threadDeaths());
            assertEquals(List.of(death), node.threadDeaths());
        }
    }

    @Test
    void aZooKeeperThreadsOwnHandlerIsWrappedSoItsDeathIsRecordedAndZooKeeperStillHandlesIt() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode node = zk.node(3);
            CountDownLatch die = new CountDownLatch(1);
            AtomicInteger handledByZooKeeper = new AtomicInteger();
            AtomicReference<Thread> created = new AtomicReference<>();
            // a thread joins the group of the thread that creates it, as ZooKeeper's threads do
            Thread creator = new Thread(
                    node.runtime().threads(),
                    () -> created.set(new ZooKeeperThread("SyncThread:3") {
                        @Override
                        public void run() {
                            try {
                                die.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            throw new IllegalStateException("provoked by the test");
                        }

                        @Override
                        protected void handleException(String name, Throwable e) {
                            handledByZooKeeper.incrementAndGet();
                            super.handleException(name, e);
                        }
                    }),
                    "test-creator");
            creator.start();
            creator.join(5_000);
            Thread t = created.get();
            t.start();
            assertEquals(node.runtime().threads(), t.getThreadGroup());
            // the watcher wraps ZooKeeper's handler within a few tens of milliseconds of the thread's start
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            t.getUncaughtExceptionHandler().getClass().getName().endsWith("NodeThreads$Recording"));
            die.countDown();
            t.join(5_000);
            assertEquals(1, handledByZooKeeper.get(), "ZooKeeper's own handler ran");
            assertEquals(1, node.threadDeaths().size(), "recorded: " + node.threadDeaths());
            assertTrue(
                    node.status().toString().contains("thread SyncThread:3 died of IllegalStateException"),
                    node.status().toString());
            assertTrue(
                    node.status().toString().contains("this node stops acknowledging proposals"),
                    node.status().toString());
        }
    }

    @Test
    void withFailOnThreadDeathTheNextWaitFailsAtOnceNamingTheDeath() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).failOnThreadDeath(true).start()) {
            ZkNode node = zk.node(3);
            Thread t = new Thread(
                    node.runtime().threads(),
                    () -> {
                        throw new IllegalStateException("provoked by the test");
                    },
                    "WorkerReceiver[myid=3]");
            t.start();
            t.join(5_000);
            long started = System.nanoTime();
            ZkThreadDeathException e = assertThrows(
                    ZkThreadDeathException.class,
                    () -> zk.await("something that will never be", Duration.ofSeconds(20), () -> false));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "failed at once");
            assertTrue(
                    e.getMessage().startsWith("node 3: thread WorkerReceiver[myid=3] died of IllegalStateException"),
                    e.getMessage());
            assertEquals("provoked by the test", e.getCause().getMessage());
        }
    }
}
