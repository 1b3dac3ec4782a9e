package io.github.zkharness.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.testkit.Bounded;
import io.github.zkharness.testkit.Clients;
import io.github.zkharness.testkit.JvmResources;
import io.github.zkharness.testkit.ProcNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Many cycles of start, write, kill, restart, wipe, partition, heal and close in one JVM: afterwards the JVM's
 * threads, open file descriptors, listening sockets and temporary files are back at the baseline taken before
 * the first cycle (after a warm-up cycle: class loading, logging and ZooKeeper's static pools take their share
 * once). ZooKeeper's election workers and clients get their few seconds to end, and a GC runs first: sockets
 * ZooKeeper itself abandons unclosed (its learner makes a new socket for each failed attempt to reach a leader)
 * are garbage the JDK closes on collection, while anything the harness still holds survives it.
 *
 * <p>Temporary files: {@code java.io.tmpdir} is shared with every other process of the machine, so the check is
 * on what this JVM made: every ensemble's directory is gone, and no open descriptor of this JVM points into
 * the temporary directory beyond the baseline. Other new entries are reported.
 *
 * <p>The normal build runs 12 cycles; {@code -Dzk.leak.cycles=200} (or {@code -Dzk.reliability.long=true})
 * runs the full 200:
 * {@code ./mvnw -B -pl harness-core -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=LeakCycleTests
 * -Dzk.leak.cycles=200}.
 */
class LeakCycleTests {

    @Test
    void cyclesOfStartFaultAndCloseReturnThreadsDescriptorsAndTempFilesToTheBaseline() throws Exception {
        int cycles = LongRun.leakCycles();
        List<Path> directories = new ArrayList<>();
        try (Bounded bounded = new Bounded()) {
            cycle(bounded, -1, directories, new int[1]); // warm-up
            awaitQuiet();
            JvmResources.Snapshot before = JvmResources.snapshot();
            List<ProcNet.Listener> listenersBefore = ProcNet.ownListeners();
            long began = System.nanoTime();
            int[] peakThreads = {0};
            for (int c = 0; c < cycles; c++) {
                cycle(bounded, c, directories, peakThreads);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            int fdsRightAfter = JvmResources.fileDescriptors().size();
            int threadsRightAfter = JvmResources.threads().size();
            // ZooKeeper's Learner.connectToLeader makes a new Socket for each retry and never closes the failed
            // one: those descriptors are garbage, freed by the JDK's Cleaner after a GC. A leak survives a GC.
            // every thread that was not there before must end; descriptors back to the same count per kind
            try {
                await("threads and descriptors back at the baseline")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            System.gc();
                            return newThreads(before).isEmpty()
                                    && grown(
                                                    before.fdKinds(),
                                                    JvmResources.snapshot().fdKinds())
                                            .isEmpty();
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // the assertions below say what is left
            }
            JvmResources.Snapshot after = JvmResources.snapshot();
            Set<String> newTmp = new java.util.TreeSet<>(after.tmp());
            newTmp.removeAll(before.tmp());
            List<Path> leftDirectories =
                    directories.stream().filter(Files::exists).toList();
            List<String> tmpFds = after.fds().values().stream()
                    .filter(t -> t.startsWith(JvmResources.tmpDir().toString() + "/"))
                    .sorted()
                    .toList();
            List<String> tmpFdsBefore = before.fds().values().stream()
                    .filter(t -> t.startsWith(JvmResources.tmpDir().toString() + "/"))
                    .sorted()
                    .toList();
            List<ProcNet.Listener> listenersAfter = ProcNet.ownListeners();

            System.out.printf(
                    Locale.ROOT,
                    "[leaks] %d cycles in %.1f s (%.2f s each): threads %d -> %d (%d while an ensemble ran,"
                            + " %d right after the last close), fds %d -> %d (%d right after the last close, before GC;"
                            + " grown: %s), own listening sockets %d -> %d, ensemble directories left %d of %d,"
                            + " new entries in %s: %d %s%n",
                    cycles,
                    seconds,
                    seconds / cycles,
                    before.threadCount(),
                    after.threadCount(),
                    peakThreads[0],
                    threadsRightAfter,
                    before.fdCount(),
                    after.fdCount(),
                    fdsRightAfter,
                    grown(before.fdKinds(), after.fdKinds()),
                    listenersBefore.size(),
                    listenersAfter.size(),
                    leftDirectories.size(),
                    directories.size(),
                    JvmResources.tmpDir(),
                    newTmp.size(),
                    newTmp.stream().limit(10).toList());

            assertEquals(Set.of(), names(newThreads(before)), "threads that were not there before the cycles");
            assertEquals(
                    Map.of(),
                    grown(before.fdKinds(), after.fdKinds()),
                    "open descriptors that grew, by kind;" + " new sockets: "
                            + ProcNet.describeSockets(newSocketInodes(before, after)));
            assertEquals(List.of(), leftDirectories, "ensemble directories left behind");
            assertEquals(tmpFdsBefore, tmpFds, "open files in " + JvmResources.tmpDir());
            assertEquals(ports(listenersBefore), ports(listenersAfter), "listening sockets of this JVM");
            assertTrue(
                    newTmp.stream()
                            .noneMatch(n -> directories.stream()
                                    .anyMatch(d -> d.getFileName().toString().equals(n))),
                    "an ensemble's directory is still in " + JvmResources.tmpDir() + ": " + newTmp);
            assertEquals(List.of(), bounded.hungCalls());
        }
        assertEquals(List.of(), JvmGlobals.unattributedExitRequests());
    }

    /** Start, write, kill a follower and restart it, wipe another, partition the leader away, heal, close. */
    private static void cycle(Bounded bounded, int c, List<Path> directories, int[] peakThreads) throws Exception {
        String at = "cycle " + c + ": ";
        Duration wait = Duration.ofSeconds(30);
        Duration bound = Duration.ofSeconds(45);
        ZkEnsemble zk = bounded.call(
                at + "start()",
                Duration.ofSeconds(90),
                () -> ZkEnsemble.builder()
                        .voters(3)
                        .separateDataLogDir(c % 2 == 0)
                        .start());
        try {
            directories.add(bounded.call(at + "baseDirectory()", Duration.ofSeconds(5), zk::baseDirectory));
            try (ZooKeeper client = Clients.connect(zk.connectString(), 4000)) {
                client.create("/cycle", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            List<ZkNode> followers = bounded.call(at + "followers()", Duration.ofSeconds(5), zk::followers);
            ZkNode first = followers.get(0);
            ZkNode second = followers.get(1);
            bounded.run(at + "kill()", bound, first::kill);
            bounded.run(at + "restart()", Duration.ofSeconds(75), first::restart);
            bounded.run(at + "awaitServing()", bound, () -> zk.awaitServing(wait));
            bounded.run(at + "wipe()", Duration.ofSeconds(75), second::wipe);
            bounded.run(at + "awaitServing()", bound, () -> zk.awaitServing(wait));
            ZkNode leader = bounded.call(at + "leader()", Duration.ofSeconds(5), zk::leader);
            Fault split = bounded.call(
                    at + "isolate()", Duration.ofSeconds(15), () -> zk.network().isolate(leader));
            bounded.call(at + "awaitLeader()", bound, () -> zk.awaitLeader(wait));
            bounded.run(at + "heal()", Duration.ofSeconds(15), split::heal);
            bounded.run(at + "awaitServing()", bound, () -> zk.awaitServing(wait));
            peakThreads[0] = Math.max(peakThreads[0], JvmResources.threads().size());
        } finally {
            bounded.run(at + "close()", Duration.ofSeconds(90), zk::close);
        }
        assertFalse(
                Files.exists(directories.get(directories.size() - 1)), at + "the ensemble's directory is still there");
    }

    /** Lets threads and descriptors from earlier tests in this JVM settle before the baseline. */
    private static void awaitQuiet() {
        int[] last = {-1, -1};
        await("the JVM's threads and descriptors to settle")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    System.gc();
                    int threads = JvmResources.threads().size();
                    int fds = JvmResources.fileDescriptors().size();
                    boolean stable = threads == last[0] && fds == last[1];
                    last[0] = threads;
                    last[1] = fds;
                    return stable;
                });
    }

    private static Set<Thread> newThreads(JvmResources.Snapshot before) {
        Set<Thread> now = new HashSet<>(JvmResources.threads());
        now.removeAll(before.threads());
        return now;
    }

    private static Set<String> names(Set<Thread> threads) {
        return threads.stream()
                .map(t -> t.getName() + "["
                        + (t.getThreadGroup() == null ? "-" : t.getThreadGroup().getName()) + "]")
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Map<String, Long> grown(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> grown = new TreeMap<>();
        after.forEach((kind, n) -> {
            long was = before.getOrDefault(kind, 0L);
            if (n > was) {
                grown.put(kind, n - was);
            }
        });
        return grown;
    }

    private static Set<Long> newSocketInodes(JvmResources.Snapshot before, JvmResources.Snapshot after) {
        Set<String> old = new HashSet<>(before.fds().values());
        return after.fds().values().stream()
                .filter(t -> t.startsWith("socket:[") && !old.contains(t))
                .map(t -> Long.parseLong(t.substring("socket:[".length(), t.length() - 1)))
                .collect(Collectors.toSet());
    }

    private static Set<String> ports(List<ProcNet.Listener> listeners) {
        return listeners.stream()
                .map(l -> l.address().getHostAddress() + ":" + l.port())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
