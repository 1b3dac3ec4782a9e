package io.github.zkharness.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.curator.ZkCurator;
import io.github.zkharness.testkit.Bounded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A client asked for in a way that cannot work fails at once, naming the mistake and the fix, instead of waiting
 * out the connect timeout (issue 28): a node that is not running, a connect string that does not parse, names no
 * server of the ensemble or is a chroot alone, servers that are all down or refuse clients, a stopped ensemble.
 * Each row of {@link #cases()} names the call, the state it is made in, the exception type and the exact message
 * (computed from the fixture, whose ports change from run to run), and each must fail well under a second.
 */
class ClientMistakeTests {

    private static final Duration FIXTURE = Duration.ofSeconds(90);
    private static final Duration CALL = Duration.ofSeconds(20);
    /** Well under a second: the connect timeout is 30 s, so anything near it would be the old wait. */
    private static final Duration FAST = Duration.ofMillis(500);

    private static final String OTHER_ADDRESS = "127.0.0.1:1";

    private static final Bounded BOUNDED = new Bounded();
    /** 3 voters serving; an observer was added and removed ({@link #removed}); clients of node 3 cut. */
    private static ZkEnsemble serving;
    /** 3 voters: node 2 stopped, node 3 killed, node 1 running without a quorum. */
    private static ZkEnsemble down;
    /** 3 voters after {@code stop()}. */
    private static ZkEnsemble stopped;

    private static ZkNode removed;

    @BeforeAll
    static void fixtures() {
        serving = BOUNDED.call(
                "serving: start()",
                FIXTURE,
                () -> ZkEnsemble.builder().voters(3).start());
        removed = BOUNDED.call("serving: addObserver()", FIXTURE, serving::addObserver);
        BOUNDED.run("serving: remove(observer)", FIXTURE, () -> serving.remove(removed));
        BOUNDED.call("serving: cutClients(3)", FIXTURE, () -> serving.network().cutClients(serving.node(3)));
        down = BOUNDED.call(
                "down: start()", FIXTURE, () -> ZkEnsemble.builder().voters(3).start());
        BOUNDED.run("down: stop 2, kill 3", FIXTURE, () -> {
            down.node(2).stop();
            down.node(3).kill();
        });
        stopped = BOUNDED.call(
                "stopped: start()",
                FIXTURE,
                () -> ZkEnsemble.builder().voters(3).start());
        BOUNDED.run("stopped: stop()", FIXTURE, stopped::stop);
    }

    @AfterAll
    static void closeFixtures() {
        for (ZkEnsemble zk : new ZkEnsemble[] {serving, down, stopped}) {
            if (zk != null) {
                BOUNDED.run("close()", FIXTURE, zk::close);
            }
        }
        BOUNDED.close();
    }

    @FunctionalInterface
    interface Call {
        Object call() throws Exception;
    }

    /** One row: the call, what it is given, the exception and its exact message. */
    record Case(String call, Call action, Class<? extends Throwable> type, String message) {}

    static List<Case> cases() {
        List<Case> t = new ArrayList<>();
        String cs = serving.connectString();
        String zk = serving.name();
        String own = "; its connect string is " + cs
                + "; for a server of your own, use ZooKeeper's constructor: new ZooKeeper(connectString,"
                + " sessionTimeoutMs, watcher)";
        Function<String, String> unparsable = s -> "connectString \"" + s + "\" does not parse as"
                + " host:port[,host:port...][/chroot] (\"" + s + "\" is not host:port); " + zk
                + "'s connect string is " + cs;

        // a connect string that names no server of the ensemble, or does not parse
        t.add(new Case(
                "newZooKeeper(\"" + OTHER_ADDRESS + "\")",
                () -> serving.newZooKeeper(OTHER_ADDRESS),
                IAE,
                "connectString \"" + OTHER_ADDRESS + "\" names no server of " + zk + " (" + OTHER_ADDRESS
                        + " is not among its client addresses)" + own));
        String mixed = serving.node(1).connectString() + "," + OTHER_ADDRESS + "/app";
        t.add(new Case(
                "newZooKeeper(node 1 + another address)",
                () -> serving.newZooKeeper(mixed),
                IAE,
                "connectString \"" + mixed + "\" names servers that are not of " + zk + " (" + OTHER_ADDRESS
                        + " is not among its client addresses)" + own));
        t.add(new Case(
                "newZooKeeper(\"not a connect string\")",
                () -> serving.newZooKeeper("not a connect string"),
                IAE,
                unparsable.apply("not a connect string")));
        t.add(new Case(
                "newZooKeeper(\"localhost:99999\")",
                () -> serving.newZooKeeper("localhost:99999"),
                IAE,
                unparsable.apply("localhost:99999")));
        t.add(new Case(
                "newZooKeeper(\"\")",
                () -> serving.newZooKeeper(""),
                IAE,
                "connectString \"\" names no server; " + zk + "'s connect string is " + cs));
        t.add(new Case(
                "newZooKeeper(\"/app\")",
                () -> serving.newZooKeeper("/app"),
                IAE,
                "connectString \"/app\" is a chroot alone, with no server; a chroot is a suffix of a connect string:"
                        + " newZooKeeper(ensemble.connectString() + \"/app\"), here \"" + cs + "/app\""));

        // a client of one node that cannot take it
        for (int id : new int[] {2, 3}) {
            String state = id == 2 ? "STOPPED" : "KILLED";
            t.add(new Case(
                    "node(" + id + ").newZooKeeper() of a " + state + " node",
                    () -> down.node(id).newZooKeeper(),
                    ISE,
                    "node " + id + " is " + state + ", so a client of it alone cannot connect; restart() it first,"
                            + " or use ensemble.newZooKeeper()"));
            t.add(new Case(
                    "ZkCurator.newClient(node " + id + ") of a " + state + " node",
                    () -> ZkCurator.newClient(down.node(id)),
                    ISE,
                    "node " + id + " is " + state + ", so a client of it alone cannot connect; restart() it first,"
                            + " or use ZkCurator.newClient(ensemble)"));
        }
        t.add(new Case(
                "node(3).newZooKeeper() with its clients cut",
                () -> serving.node(3).newZooKeeper(),
                ISE,
                "node 3 refuses clients (cut clients of node 3), so a client of it alone cannot connect; heal that"
                        + " fault first, or use ensemble.newZooKeeper()"));
        t.add(new Case(
                "ZkCurator.newClient(node 3) with its clients cut",
                () -> ZkCurator.newClient(serving.node(3)),
                ISE,
                "node 3 refuses clients (cut clients of node 3), so a client of it alone cannot connect; heal that"
                        + " fault first, or use ZkCurator.newClient(ensemble)"));
        t.add(new Case(
                "newZooKeeper() of a removed node",
                () -> removed.newZooKeeper(),
                ISE,
                "node " + removed.id() + " was removed from " + zk + ", so a client of it alone cannot connect; use a"
                        + " member: ensemble.newZooKeeper()"));
        t.add(new Case(
                "ZkCurator.newClient(a removed node)",
                () -> ZkCurator.newClient(removed),
                ISE,
                "node " + removed.id() + " was removed from " + zk + ", so a client of it alone cannot connect; use a"
                        + " member: ZkCurator.newClient(ensemble)"));

        // every server the client could use is down
        String downOnes = down.connectStringOf(List.of(down.node(2), down.node(3)));
        t.add(new Case(
                "newZooKeeper(nodes 2 and 3, stopped and killed)",
                () -> down.newZooKeeper(downOnes),
                ISE,
                "no server that connectString \"" + downOnes + "\" names can take a client now: node 2 is STOPPED,"
                        + " node 3 is KILLED; restart() one of them first"));
        String stoppedMessage =
                "ensemble " + stopped.name() + " is stopped, so no client can connect; start() it first";
        t.add(new Case("newZooKeeper() of a stopped ensemble", () -> stopped.newZooKeeper(), ISE, stoppedMessage));
        t.add(new Case(
                "ZkCurator.newClient(a stopped ensemble)", () -> ZkCurator.newClient(stopped), ISE, stoppedMessage));
        return t;
    }

    @TestFactory
    Stream<DynamicTest> eachMistakeFailsAtOnceWithTheFixInTheMessage() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.call(), () -> {
                    long start = System.nanoTime();
                    Throwable thrown =
                            assertThrows(Throwable.class, () -> BOUNDED.call(c.call(), CALL, c.action()::call));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertEquals(c.type(), thrown.getClass(), () -> "type; message: " + thrown.getMessage());
                    assertEquals(c.message(), thrown.getMessage());
                    assertTrue(took.compareTo(FAST) < 0, c.call() + " took " + took.toMillis() + " ms");
                }));
    }

    @Test
    void aConnectWaitEndsAsSoonAsItsOnlyServerIsKilled() throws Exception {
        ZkEnsemble zk = BOUNDED.call(
                "start()", FIXTURE, () -> ZkEnsemble.builder().voters(3).start());
        try {
            BOUNDED.run("stop 2 and 3", FIXTURE, () -> {
                zk.node(2).stop();
                zk.node(3).stop();
                zk.node(1).awaitRole(Role.LOOKING, Duration.ofSeconds(10));
            });
            // node 1 runs but serves no client without a quorum: the client waits, as it should, until node 1 dies
            CompletableFuture<ZooKeeper> client =
                    CompletableFuture.supplyAsync(() -> zk.node(1).newZooKeeper());
            long asked = System.nanoTime();
            zk.await(
                    "300 ms of the client's wait",
                    Duration.ofSeconds(5),
                    () -> System.nanoTime() - asked > 300_000_000L);
            assertTrue(!client.isDone(), "the client connected or failed before its server was killed");
            long killed = System.nanoTime();
            BOUNDED.run("kill node 1", CALL, () -> zk.node(1).kill());
            Throwable failure = assertThrows(Exception.class, () -> client.get(CALL.toMillis(), TimeUnit.MILLISECONDS))
                    .getCause();
            Duration after = Duration.ofNanos(System.nanoTime() - killed);
            assertEquals(ZkHarnessException.class, failure.getClass(), failure::toString);
            assertTrue(
                    failure.getMessage()
                            .matches("gave up after [\\d.]+ m?s waiting for a client of "
                                    + zk.node(1).connectString().replace(".", "\\.")
                                    + " to connect: node 1 is KILLED; nodes: .*"),
                    failure.getMessage());
            assertTrue(after.compareTo(Duration.ofSeconds(1)) < 0, "ended " + after.toMillis() + " ms after the kill");
        } finally {
            BOUNDED.run("close()", FIXTURE, zk::close);
        }
    }

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IllegalStateException> ISE = IllegalStateException.class;
}
