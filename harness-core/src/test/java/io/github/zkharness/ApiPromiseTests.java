package io.github.zkharness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Promises of the public API: waits that honour interrupts, what "a leader" means, handles, client helpers. */
class ApiPromiseTests {

    @Test
    void anInterruptedWaitReturnsAtOnceWithoutBurningCpu() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            for (ZkNode follower : zk.followers()) {
                follower.kill(); // no quorum: awaitLeader cannot succeed
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicLong cpuNanos = new AtomicLong();
            AtomicReference<Boolean> flagKept = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                long before = mx.getCurrentThreadCpuTime();
                try {
                    zk.awaitLeader(Duration.ofSeconds(20));
                } catch (Throwable t) {
                    thrown.set(t);
                }
                flagKept.set(Thread.currentThread().isInterrupted());
                cpuNanos.set(mx.getCurrentThreadCpuTime() - before);
            });
            waiter.start();
            // let it wait a while (parked in the harness's wait) before the interrupt, as JUnit's @Timeout would
            await().pollDelay(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
            long interruptedAt = System.nanoTime();
            waiter.interrupt();
            waiter.join(5_000);
            long tookMs = (System.nanoTime() - interruptedAt) / 1_000_000;
            assertFalse(waiter.isAlive(), "the waiting thread still runs 5 s after the interrupt");
            assertTrue(tookMs < 1_000, "returned " + tookMs + " ms after the interrupt");
            assertTrue(thrown.get() instanceof ZkInterruptedException, "threw " + thrown.get());
            assertTrue(
                    thrown.get().getMessage().startsWith("Interrupted while waiting for a leader"),
                    thrown.get().getMessage());
            assertEquals(Boolean.TRUE, flagKept.get(), "the interrupt flag stays set");
            // 300 ms of waiting, polling at most every 10 ms: far below a spinning thread's ~300 ms of CPU
            assertTrue(
                    cpuNanos.get() < 150_000_000L,
                    "the waiting thread used " + cpuNanos.get() / 1_000_000 + " ms of CPU");
        }
    }

    @Test
    void aLeaderThatLostItsQuorumIsNotALeaderToWaitFor() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).tickTime(Duration.ofMillis(500)).start()) {
            ZkNode leader = zk.leader();
            for (ZkNode follower : zk.followers()) {
                follower.kill();
            }
            // right after the kills the old leader may still believe it leads (for up to syncLimit ticks,
            // 2.5 s here, when it does not see the connections go): it commits nothing, so it does not count
            ZkTimeoutException e = assertThrows(ZkTimeoutException.class, () -> zk.awaitLeader(Duration.ofMillis(500)));
            assertTrue(
                    e.getMessage()
                            .startsWith("Timed out after 500 ms waiting for a leader that serves and that"
                                    + " a quorum of voters follows; nodes: 1="),
                    e.getMessage());
            assertTrue(e.getMessage().contains(leader.id() + "="), e.getMessage());
        }
    }

    @Test
    void theirOwnWaitsFailWithEveryNodesState() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkTimeoutException e = assertThrows(
                    ZkTimeoutException.class,
                    () -> zk.await("the moon to turn blue", Duration.ofMillis(50), () -> false));
            assertTrue(
                    e.getMessage().startsWith("Timed out after 50 ms waiting for the moon to turn blue; nodes: 1="),
                    e.getMessage());
            assertSame(zk, zk.await("the sun", () -> true));
            assertThrows(IllegalArgumentException.class, () -> zk.await("x", Duration.ZERO, () -> true));
        }
    }

    @Test
    void aHandleFollowsItsIdAcrossAResetThatBringsTheNodeBack() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode three = zk.node(3);
            zk.remove(three);
            assertEquals(NodeState.REMOVED, three.state());
            zk.reset();
            assertSame(three, zk.node(3));
            assertEquals(NodeState.RUNNING, three.state());
            assertTrue(three.isServing(), zk.describe());
        }
    }

    @Test
    void rolesChangeByName() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode node = zk.followers().get(0);
            zk.makeObserver(node);
            assertEquals(Role.OBSERVER, node.role());
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> zk.makeObserver(node));
            assertEquals("node " + node.id() + " is already an observer", twice.getMessage());
            zk.makeVoter(node);
            assertTrue(node.isVoter());
        }
    }

    @Test
    void nodesOfAnotherEnsembleAreRefusedByName() {
        try (ZkEnsemble a = ZkEnsemble.builder().voters(1).start();
                ZkEnsemble b = ZkEnsemble.builder().voters(1).start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.remove(b.node(1)));
            assertEquals("node 1 belongs to " + b.name() + ", not to " + a.name(), e.getMessage());
        }
    }

    @Test
    void clientHelpersConnectAndConnectStringsSayWhichNodes() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start()) {
            String voters = zk.connectStringOf(zk.voters());
            assertEquals(3, voters.split(",").length);
            assertFalse(voters.contains(zk.node(4).connectString()));
            String without = zk.connectStringOf(List.of(zk.node(2), zk.node(3), zk.node(4)));
            assertEquals(
                    List.of(
                            zk.node(2).connectString(),
                            zk.node(3).connectString(),
                            zk.node(4).connectString()),
                    List.of(without.split(",")));
            assertThrows(IllegalArgumentException.class, () -> zk.connectStringOf(List.of()));
            try (ZooKeeper client = zk.newZooKeeper();
                    ZooKeeper pinned = zk.node(2).newZooKeeper()) {
                assertTrue(client.getState().isConnected());
                assertEquals(30_000, client.getSessionTimeout());
                client.create(
                        "/x",
                        new byte[0],
                        org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        org.apache.zookeeper.CreateMode.PERSISTENT);
                pinned.sync("/x", (rc, path, ctx) -> {}, null);
                zk.await("node 2 to see /x", () -> {
                    try {
                        return pinned.exists("/x", false) != null;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
        }
    }

    @Test
    void anAdminServerTheUserAskedForIsRefusedWithTheReasonNotSilentlyTurnedOff() {
        String key = "zookeeper.admin.enableServer";
        String before = System.getProperty(key);
        System.setProperty(key, "true");
        try {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> ZkEnsemble.builder().voters(1).start());
            assertTrue(
                    e.getMessage()
                            .contains("the system property zookeeper.admin.enableServer=true asks every"
                                    + " ZooKeeper server of this JVM to start an AdminServer"),
                    e.getMessage());
            assertEquals("true", System.getProperty(key), "the user's value stays");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(1).start()) {
            assertTrue(zk.isRunning());
        }
    }

    @Test
    void theJvmWideSettingsCanBeInstalledBeforeAnyEnsembleStarts() {
        ZkEnsemble.installJvmSettings();
        ZkEnsemble.installJvmSettings(); // idempotent
        assertEquals("false", System.getProperty("zookeeper.admin.enableServer"));
        assertTrue(System.getProperty("zookeeper.fastleader.maxNotificationInterval") != null);
    }

    @Test
    void aStartAfterStopThatFailsLeavesNothingRunningAndCanBeRetried() {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .startTimeout(Duration.ofSeconds(2))
                .start()) {
            zk.stop();
            // a fault that keeps every voter apart: the nodes run but can never elect
            try (var apart = zk.network().partition(List.of(zk.node(1)), List.of(zk.node(2)), List.of(zk.node(3)))) {
                ZkStartException e = assertThrows(ZkStartException.class, zk::start);
                assertTrue(
                        e.getMessage().startsWith("ensemble " + zk.name() + " did not start again: Timed out after"),
                        e.getMessage());
                assertTrue(zk.nodes().stream().noneMatch(n -> n.state() == NodeState.RUNNING), zk.describe());
                assertFalse(zk.isRunning());
            }
            zk.start();
            assertTrue(zk.nodes().stream().allMatch(ZkNode::isServing), zk.describe());
        }
    }
}
