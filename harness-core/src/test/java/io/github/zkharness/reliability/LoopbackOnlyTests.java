package io.github.zkharness.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a test run exposes: every socket this JVM listens on while ensembles run is bound to loopback (read
 * from the kernel's own socket tables, not from any configuration), no admin server listens (nothing on 8080,
 * nothing the ensemble does not account for), the ensembles' directories are private to the user, and nothing
 * asks the JVM to exit.
 */
class LoopbackOnlyTests {

    private static final Duration CALL = Duration.ofSeconds(60);
    private static final Pattern CLIENT_PORT = Pattern.compile("(?m)^clientPort=(\\d+)$");

    @Test
    void withLinksEveryListeningSocketIsLoopbackAndAccountedFor() throws Exception {
        assumeTrue(ProcNet.available(), "needs Linux's /proc");
        Set<Long> before = inodes(ProcNet.ownListeners());
        try (Bounded bounded = new Bounded()) {
            ZkEnsemble zk = bounded.call(
                    "start()",
                    CALL,
                    () -> ZkEnsemble.builder().voters(3).observers(1).start());
            List<ProcNet.Listener> during;
            Set<Integer> reported = new TreeSet<>();
            Set<Integer> serversOwn = new TreeSet<>();
            try {
                // open as many links as a test would: a client, a crash and restart, a partition and its heal
                try (ZooKeeper client = Clients.connect(zk.connectString(), 4000)) {
                    client.create("/exposed", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                ZkNode follower = zk.followers().get(0);
                bounded.run("kill()", CALL, follower::kill);
                bounded.run("restart()", CALL, follower::restart);
                bounded.run("awaitServing()", CALL, () -> zk.awaitServing(Duration.ofSeconds(30)));
                Fault isolated =
                        bounded.call("isolateLeader()", CALL, () -> zk.network().isolateLeader());
                bounded.call("awaitLeader()", CALL, () -> zk.awaitLeader(Duration.ofSeconds(30)));
                bounded.run("heal()", CALL, isolated::heal);
                bounded.run("awaitServing()", CALL, () -> zk.awaitServing(Duration.ofSeconds(30)));

                during = newListeners(before);
                for (ZkNode node : zk.nodes()) {
                    reported.add(node.status().clientAddress().getPort());
                    reported.add(node.status().electionPort());
                    serversOwn.add(serverClientPort(node));
                }
                reported.add(zk.leader().status().quorumPort());
                assertPrivate(zk.baseDirectory());
            } finally {
                bounded.run("close()", CALL, zk::close);
            }

            List<ProcNet.Listener> notLoopback =
                    during.stream().filter(l -> !l.loopback()).toList();
            assertEquals(List.of(), notLoopback, "sockets listening beyond loopback");
            assertTrue(during.stream().noneMatch(l -> l.port() == 8080), "something listens on 8080: " + during);
            Set<Integer> ports =
                    during.stream().map(ProcNet.Listener::port).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(
                    ports.containsAll(reported),
                    "the ensemble reports ports nobody listens on: " + reported + " vs " + ports);
            assertTrue(ports.containsAll(serversOwn), "the servers' own client ports " + serversOwn + " vs " + ports);
            // the rest are the harness's peer links: at most one per ordered pair of nodes and kind of traffic
            Set<Integer> links = new TreeSet<>(ports);
            links.removeAll(reported);
            links.removeAll(serversOwn);
            int n = 4;
            assertTrue(links.size() <= 2 * n * (n - 1), links.size() + " listening sockets unaccounted for: " + links);
            assertEquals(during.size(), ports.size(), "two sockets listen on one port: " + during);
            System.out.println("[loopback] " + during.size() + " listening sockets while 4 nodes ran, all loopback: "
                    + reported.size()
                    + " reported by the ensemble (client links, election ports, the leader's quorum port), "
                    + serversOwn.size() + " servers' own client ports, " + links.size() + " peer links");
        }
        assertEquals(List.of(), newListeners(before), "sockets still listening after close()");
        assertEquals(List.of(), JvmGlobals.unattributedExitRequests());
    }

    @Test
    void withoutLinksTheListeningSocketsAreExactlyThePortsTheEnsembleReports() throws Exception {
        assumeTrue(ProcNet.available(), "needs Linux's /proc");
        Set<Long> before = inodes(ProcNet.ownListeners());
        try (Bounded bounded = new Bounded()) {
            ZkEnsemble zk = bounded.call(
                    "start()",
                    CALL,
                    () -> ZkEnsemble.builder()
                            .voters(3)
                            .observers(1)
                            .links(false)
                            .start());
            Set<Integer> reported = new TreeSet<>();
            List<ProcNet.Listener> during;
            try {
                during = newListeners(before);
                for (ZkNode node : zk.nodes()) {
                    reported.add(node.status().clientAddress().getPort());
                    reported.add(node.status().electionPort());
                }
                reported.add(zk.leader().status().quorumPort());
            } finally {
                bounded.run("close()", CALL, zk::close);
            }
            assertTrue(during.stream().allMatch(ProcNet.Listener::loopback), "beyond loopback: " + during);
            assertEquals(
                    reported,
                    during.stream().map(ProcNet.Listener::port).collect(Collectors.toCollection(TreeSet::new)),
                    "listening ports vs the ports the ensemble reports (clients, elections, the leader's quorum port)");
        }
        assertEquals(List.of(), newListeners(before), "sockets still listening after close()");
        assertEquals(List.of(), JvmGlobals.unattributedExitRequests());
    }

    @Test
    void noAdminServer() throws Exception {
        assumeTrue(ProcNet.available(), "needs Linux's /proc");
        try (Bounded bounded = new Bounded()) {
            ZkEnsemble zk = bounded.call(
                    "start()", CALL, () -> ZkEnsemble.builder().voters(3).start());
            try {
                assertTrue(
                        ProcNet.ownListeners().stream().noneMatch(l -> l.port() == 8080), "this JVM listens on 8080");
                assertEquals("false", System.getProperty("zookeeper.admin.enableServer"));
                assertFalse(
                        onClassPath("org.eclipse.jetty.server.Server"), "Jetty, which the admin server needs, is here");
            } finally {
                bounded.run("close()", CALL, zk::close);
            }
        }
    }

    @Test
    void ensembleDirectoriesArePrivateToTheUser(@TempDir Path shared) throws Exception {
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Bounded bounded = new Bounded()) {
            ZkEnsemble inTmp = bounded.call(
                    "start()", CALL, () -> ZkEnsemble.builder().voters(1).start());
            ZkEnsemble inShared = bounded.call(
                    "start()",
                    CALL,
                    () -> ZkEnsemble.builder().voters(1).baseDirectory(shared).start());
            try {
                assertEquals(
                        JvmResources.tmpDir().toRealPath(),
                        inTmp.baseDirectory().getParent().toRealPath());
                assertPrivate(inTmp.baseDirectory());
                assertEquals(
                        shared.toRealPath(),
                        inShared.baseDirectory().getParent().toRealPath());
                assertPrivate(inShared.baseDirectory());
            } finally {
                bounded.run("close()", CALL, inTmp::close);
                bounded.run("close()", CALL, inShared::close);
            }
        }
    }

    private static void assertPrivate(Path dir) throws Exception {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(perms), dir + " is not private");
        assertEquals(System.getProperty("user.name"), Files.getOwner(dir).getName(), "owner of " + dir);
    }

    /**
     * The client port the server itself reports. {@code conf} names it only while the node serves, and on a loaded
     * machine a node may drop out for a moment after a heal (a tick is 100 ms): wait for it to report one.
     */
    private static int serverClientPort(ZkNode node) {
        String[] conf = new String[1];
        node.ensemble()
                .await(
                        "conf of node " + node.id() + " to name its clientPort",
                        Duration.ofSeconds(30),
                        () -> CLIENT_PORT
                                .matcher(conf[0] = node.fourLetterWord("conf"))
                                .find());
        Matcher m = CLIENT_PORT.matcher(conf[0]);
        assertTrue(m.find(), "no clientPort in conf of node " + node.id() + ": " + conf[0]);
        return Integer.parseInt(m.group(1));
    }

    private static List<ProcNet.Listener> newListeners(Set<Long> before) {
        return ProcNet.ownListeners().stream()
                .filter(l -> !before.contains(l.inode()))
                .toList();
    }

    private static Set<Long> inodes(List<ProcNet.Listener> listeners) {
        return listeners.stream().map(ProcNet.Listener::inode).collect(Collectors.toSet());
    }

    private static boolean onClassPath(String name) {
        try {
            Class.forName(name, false, LoopbackOnlyTests.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
