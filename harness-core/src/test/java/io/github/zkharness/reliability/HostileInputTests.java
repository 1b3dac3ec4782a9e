package io.github.zkharness.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.Fault;
import io.github.zkharness.LeaderPlacement;
import io.github.zkharness.Rate;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.testkit.Bounded;
import io.github.zkharness.testkit.ProcNet;
import io.github.zkharness.testkit.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public entry point of the core given bad values (nulls, negatives, out-of-range numbers, unknown ids)
 * or called in the wrong state (not started, stopped, no leader, a killed or removed node, after close): each
 * answers with a specific exception and message, at once (every call is bounded: a hang fails naming the
 * call), leaves no fault half-applied and no listening socket behind.
 *
 * <p>The table in {@link #cases()} lists each entry point, the bad input, the fixture (the state the call is
 * made in) and the exception type and message expected. A message is compared exactly, with {@code {zk}}
 * standing for the fixture ensemble's name; one starting with {@code ~} is a regular expression.
 */
@SuppressWarnings("deprecation") // the deprecated entry points must refuse bad input too, until they go
class HostileInputTests {

    private static final Duration CALL = Duration.ofSeconds(20);
    private static final Duration FIXTURE = Duration.ofSeconds(90);
    private static final String NOT_STARTED = "~ensemble \\{zk\\} (has not been started|is new).*";

    /** The state a call is made in. */
    enum Fixture {
        /** No ensemble: builder calls. */
        BUILDER,
        /** A fresh ensemble, built and never started; closed after the case. */
        NEW,
        /** 3 voters, running, all serving; shared. */
        RUNNING,
        /** 3 voters, nodes 2 and 3 killed, node 1 looking: no leader; shared. */
        NO_LEADER,
        /** 3 voters after {@code stop()}; shared. */
        STOPPED,
        /** 3 voters that ran and were closed; shared. */
        CLOSED,
        /** 1 voter with {@code links(false)}; shared. */
        NO_LINKS,
        /** 3 voters running, after an observer was added and removed; the removed node is {@link #removed}. */
        REMOVED
    }

    @FunctionalInterface
    interface Call {
        Object call(ZkEnsemble zk) throws Exception;
    }

    /** One row: an entry point, its bad input, the state, what must be thrown (type null: must return). */
    record Case(
            String entryPoint,
            String badInput,
            Fixture fixture,
            Call call,
            Class<? extends Throwable> type,
            String message) {
        String name() {
            return entryPoint + " with " + badInput + " [" + fixture.name().toLowerCase() + "]";
        }
    }

    private static final Bounded BOUNDED = new Bounded();
    private static final List<ZkEnsemble> SHARED = new ArrayList<>();
    private static ZkEnsemble running;
    private static ZkEnsemble noLeader;
    private static ZkEnsemble stopped;
    private static ZkEnsemble closed;
    private static ZkEnsemble noLinks;
    private static ZkEnsemble membership;
    private static ZkNode removed;

    private static Set<Long> listenersAtStart;

    @BeforeAll
    static void fixtures() {
        listenersAtStart = listeners();
        running = shared(ZkEnsemble.builder().voters(3));
        noLeader = shared(ZkEnsemble.builder().voters(3));
        BOUNDED.run("noLeader: kill 2 and 3", FIXTURE, () -> {
            noLeader.node(2).kill();
            noLeader.node(3).kill();
            noLeader.node(1).awaitRole(Role.LOOKING, Duration.ofSeconds(30));
        });
        stopped = shared(ZkEnsemble.builder().voters(3));
        BOUNDED.run("stopped: stop()", FIXTURE, stopped::stop);
        closed = shared(ZkEnsemble.builder().voters(3));
        BOUNDED.run("closed: close()", FIXTURE, closed::close);
        noLinks = shared(ZkEnsemble.builder().voters(1).links(false));
        membership = shared(ZkEnsemble.builder().voters(3));
        removed = BOUNDED.call("membership: addObserver()", FIXTURE, membership::addObserver);
        BOUNDED.run("membership: remove(" + removed.id() + ")", FIXTURE, () -> membership.remove(removed));
    }

    private static ZkEnsemble shared(ZkEnsemble.Builder builder) {
        ZkEnsemble zk = BOUNDED.call("fixture start()", FIXTURE, builder::start);
        SHARED.add(zk);
        return zk;
    }

    @AfterAll
    static void closeFixtures() {
        for (ZkEnsemble zk : SHARED) {
            BOUNDED.run("fixture close()", FIXTURE, zk::close);
        }
        BOUNDED.close();
        // once every ensemble of this class is closed, nothing of them may still listen
        Set<Long> left = new HashSet<>(listeners());
        left.removeAll(listenersAtStart);
        assertEquals(
                List.of(),
                ProcNet.ownListeners().stream()
                        .filter(l -> left.contains(l.inode()))
                        .toList(),
                "listening sockets left after every ensemble of HostileInputTests was closed");
    }

    private static ZkEnsemble ensemble(Fixture f) {
        return switch (f) {
            case BUILDER, NEW -> null;
            case RUNNING -> running;
            case NO_LEADER -> noLeader;
            case STOPPED -> stopped;
            case CLOSED -> closed;
            case NO_LINKS -> noLinks;
            case REMOVED -> membership;
        };
    }

    // ------------------------------------------------------------------------------------------------ the table

    static List<Case> cases() {
        List<Case> t = new ArrayList<>();
        Duration s1 = Duration.ofSeconds(1);
        Duration minus = Duration.ofMillis(-5);

        // ZkEnsemble.Builder
        b(
                t,
                "leader(LeaderPlacement)",
                "null",
                z -> ZkEnsemble.builder().leader(null),
                NPE,
                "placement must not be null");
        t.add(new Case(
                "LeaderPlacement.node(int)",
                "0",
                Fixture.BUILDER,
                z -> LeaderPlacement.node(0),
                IAE,
                "server ids start at 1, got 0"));
        b(
                t,
                "build()",
                "leader(node(4)) of an observer",
                z -> ZkEnsemble.builder()
                        .voters(3)
                        .observers(1)
                        .leader(LeaderPlacement.node(4))
                        .build(),
                IAE,
                "leader(LeaderPlacement.node(4)) names an observer (voters are 1..3, observers 4..4): an observer never"
                        + " votes and never leads; name a voter");
        b(
                t,
                "build()",
                "leader(node(9)) of no server",
                z -> ZkEnsemble.builder()
                        .voters(3)
                        .leader(LeaderPlacement.node(9))
                        .build(),
                IAE,
                "leader(LeaderPlacement.node(9)) names no server of the ensemble; its voters are 1..3");
        b(t, "voters(int)", "0", z -> ZkEnsemble.builder().voters(0), IAE, "voters must be between 1 and 15, got 0");
        b(t, "voters(int)", "16", z -> ZkEnsemble.builder().voters(16), IAE, "voters must be between 1 and 15, got 16");
        b(
                t,
                "voters(int)",
                "Integer.MIN_VALUE",
                z -> ZkEnsemble.builder().voters(Integer.MIN_VALUE),
                IAE,
                "voters must be between 1 and 15, got -2147483648");
        b(
                t,
                "observers(int)",
                "-1",
                z -> ZkEnsemble.builder().observers(-1),
                IAE,
                "observers must be between 0 and 15, got -1");
        b(
                t,
                "observers(int)",
                "16",
                z -> ZkEnsemble.builder().observers(16),
                IAE,
                "observers must be between 0 and 15, got 16");
        b(
                t,
                "build()",
                "voters(1).observers(2)",
                z -> ZkEnsemble.builder().voters(1).observers(2).build(),
                IAE,
                "observers need at least 2 voters: ZooKeeper runs a single voter on its own and never lets observers"
                        + " follow it; got voters(1).observers(2)");
        b(t, "tickTime(Duration)", "null", z -> ZkEnsemble.builder().tickTime(null), NPE, "tickTime must not be null");
        b(
                t,
                "tickTime(Duration)",
                "zero",
                z -> ZkEnsemble.builder().tickTime(Duration.ZERO),
                IAE,
                "tickTime must be positive, got PT0S");
        b(
                t,
                "tickTime(Duration)",
                "-5 ms",
                z -> ZkEnsemble.builder().tickTime(minus),
                IAE,
                "tickTime must be positive, got PT-0.005S");
        b(
                t,
                "tickTime(Duration)",
                "0.5 ms",
                z -> ZkEnsemble.builder().tickTime(Duration.ofNanos(500_000)),
                IAE,
                "tickTime must be between 1 ms and 1 min, got PT0.0005S");
        b(
                t,
                "tickTime(Duration)",
                "2 min",
                z -> ZkEnsemble.builder().tickTime(Duration.ofMinutes(2)),
                IAE,
                "tickTime must be between 1 ms and 1 min, got PT2M");
        b(
                t,
                "initLimit(int)",
                "0",
                z -> ZkEnsemble.builder().initLimit(0),
                IAE,
                "initLimit must be at least 1 tick, got 0");
        b(
                t,
                "initLimit(int)",
                "-7",
                z -> ZkEnsemble.builder().initLimit(-7),
                IAE,
                "initLimit must be at least 1 tick, got -7");
        b(
                t,
                "syncLimit(int)",
                "0",
                z -> ZkEnsemble.builder().syncLimit(0),
                IAE,
                "syncLimit must be at least 1 tick, got 0");
        b(
                t,
                "sessionTimeouts(Duration, Duration)",
                "null min",
                z -> ZkEnsemble.builder().sessionTimeouts(null, s1),
                NPE,
                "min session timeout must not be null");
        b(
                t,
                "sessionTimeouts(Duration, Duration)",
                "null max",
                z -> ZkEnsemble.builder().sessionTimeouts(s1, null),
                NPE,
                "max session timeout must not be null");
        b(
                t,
                "sessionTimeouts(Duration, Duration)",
                "zero min",
                z -> ZkEnsemble.builder().sessionTimeouts(Duration.ZERO, s1),
                IAE,
                "min session timeout must be positive, got PT0S");
        b(
                t,
                "sessionTimeouts(Duration, Duration)",
                "min > max",
                z -> ZkEnsemble.builder().sessionTimeouts(Duration.ofSeconds(5), s1),
                IAE,
                "min session timeout PT5S exceeds max PT1S");
        // ZooKeeper keeps session timeouts in int milliseconds: 30 days overflow to a negative timeout
        b(
                t,
                "sessionTimeouts(Duration, Duration)",
                "30 days (beyond int milliseconds)",
                z -> ZkEnsemble.builder().sessionTimeouts(Duration.ofDays(30), Duration.ofDays(30)),
                IAE,
                "~.*session timeout.*PT720H.*");
        b(
                t,
                "baseDirectory(Path)",
                "null",
                z -> ZkEnsemble.builder().baseDirectory(null),
                NPE,
                "baseDirectory must not be null");
        b(
                t,
                "startTimeout(Duration)",
                "null",
                z -> ZkEnsemble.builder().startTimeout(null),
                NPE,
                "startTimeout must not be null");
        b(
                t,
                "startTimeout(Duration)",
                "zero",
                z -> ZkEnsemble.builder().startTimeout(Duration.ZERO),
                IAE,
                "startTimeout must be positive, got PT0S");
        b(
                t,
                "startTimeout(Duration)",
                "-5 ms",
                z -> ZkEnsemble.builder().startTimeout(minus),
                IAE,
                "startTimeout must be positive, got PT-0.005S");
        b(
                t,
                "serverSetting(String, String)",
                "null key",
                z -> ZkEnsemble.builder().serverSetting(null, "1"),
                IAE,
                "server setting key and value must not be null, got null=1");
        b(
                t,
                "serverSetting(String, String)",
                "null value",
                z -> ZkEnsemble.builder().serverSetting("maxClientCnxns", null),
                IAE,
                "server setting key and value must not be null, got maxClientCnxns=null");
        b(
                t,
                "serverSetting(String, String)",
                "unknown key",
                z -> ZkEnsemble.builder().serverSetting("bogus", "1"),
                IAE,
                "~unknown server setting 'bogus'; supported: .*maxClientCnxns.*");
        b(
                t,
                "serverSetting(String, String)",
                "-3 connections",
                z -> ZkEnsemble.builder().serverSetting("maxClientCnxns", "-3"),
                IAE,
                "server setting maxClientCnxns=-3 must be at least 0");
        b(
                t,
                "serverSetting(String, String)",
                "not a number",
                z -> ZkEnsemble.builder().serverSetting("maxClientCnxns", "lots"),
                IAE,
                "server setting maxClientCnxns=lots is not a whole number");
        b(
                t,
                "serverSetting(int, String, String)",
                "id 0",
                z -> ZkEnsemble.builder().serverSetting(0, "maxClientCnxns", "1"),
                IAE,
                "server ids start at 1, got 0");
        b(
                t,
                "serverSetting(int, String, String)",
                "id -4",
                z -> ZkEnsemble.builder().serverSetting(-4, "maxClientCnxns", "1"),
                IAE,
                "server ids start at 1, got -4");
        b(
                t,
                "build()",
                "serverSetting for id 9 of 3",
                z -> ZkEnsemble.builder()
                        .serverSetting(9, "maxClientCnxns", "1")
                        .build(),
                IAE,
                "serverSetting names server 9 but ids run 1..3");
        b(
                t,
                "fourLetterWords(String...)",
                "null array",
                z -> ZkEnsemble.builder().fourLetterWords((String[]) null),
                NPE,
                "words must not be null");
        b(
                t,
                "fourLetterWords(String...)",
                "no words",
                z -> ZkEnsemble.builder().fourLetterWords(),
                IAE,
                "fourLetterWords needs at least one word (or \"*\" for all)");
        b(
                t,
                "fourLetterWords(String...)",
                "a null word",
                z -> ZkEnsemble.builder().fourLetterWords("ruok", null),
                IAE,
                "four-letter word must be four lowercase letters or \"*\", got null");
        b(
                t,
                "fourLetterWords(String...)",
                "RUOK",
                z -> ZkEnsemble.builder().fourLetterWords("RUOK"),
                IAE,
                "four-letter word must be four lowercase letters or \"*\", got RUOK");

        // ZkEnsemble and ZkNode before start()
        add(
                t,
                Fixture.NEW,
                "connectString()",
                "not started",
                ZkEnsemble::connectString,
                ISE,
                "ensemble {zk} has not been started; call start() first");
        add(
                t,
                Fixture.NEW,
                "baseDirectory()",
                "not started",
                ZkEnsemble::baseDirectory,
                ISE,
                "ensemble {zk} has not been started; call start() first");
        add(
                t,
                Fixture.NEW,
                "stop()",
                "not started",
                z -> run(z::stop),
                ISE,
                "ensemble {zk} is new; only a running ensemble can be stopped");
        add(
                t,
                Fixture.NEW,
                "reset()",
                "not started",
                z -> run(z::reset),
                ISE,
                "ensemble {zk} has not been started; call start() first");
        add(
                t,
                Fixture.NEW,
                "ZkNode.connectString()",
                "not started",
                z -> z.node(1).connectString(),
                ISE,
                "ensemble {zk} has not been started; call start() first");
        add(
                t,
                Fixture.NEW,
                "ZkNode.kill()",
                "not started",
                z -> z.node(1).kill(),
                ISE,
                "node 1 is STOPPED; only a running node can be killed");
        add(t, Fixture.NEW, "ZkNode.restart()", "not started", z -> z.node(1).restart(), ISE, NOT_STARTED);
        add(t, Fixture.NEW, "ZkNode.wipe()", "not started", z -> z.node(2).wipe(), ISE, NOT_STARTED);
        add(
                t,
                Fixture.NEW,
                "ZkNetwork.isolate(ZkNode)",
                "not started",
                z -> z.network().isolate(z.node(1)),
                ISE,
                NOT_STARTED);
        add(
                t,
                Fixture.NEW,
                "ZkNetwork.partition(Collection...)",
                "not started",
                z -> z.network().partition(List.of(z.node(1)), List.of(z.node(2), z.node(3))),
                ISE,
                NOT_STARTED);
        add(
                t,
                Fixture.NEW,
                "awaitLeader(Duration)",
                "not started, 200 ms",
                z -> z.awaitLeader(Duration.ofMillis(200)),
                ZkTimeoutException.class,
                "~Timed out after 200 ms waiting for a leader that serves and that a quorum of voters follows; nodes: 1=STOPPED.*");
        add(
                t,
                Fixture.NEW,
                "addObserver()",
                "not started",
                z -> z.addObserver(),
                ISE,
                "ensemble {zk} is new; start() it before you add an observer");
        add(
                t,
                Fixture.NEW,
                "remove(ZkNode)",
                "not started",
                z -> run(() -> z.remove(z.node(1))),
                ISE,
                "ensemble {zk} is new; start() it before you remove a node");

        // a running ensemble: bad values
        add(t, Fixture.RUNNING, "moveLeader(ZkNode)", "null", z -> z.moveLeader(null), NPE, "node must not be null");
        add(
                t,
                Fixture.RUNNING,
                "moveLeader(ZkNode, Duration)",
                "null timeout",
                z -> z.moveLeader(z.node(1), null),
                NPE,
                "timeout must not be null");
        add(
                t,
                Fixture.RUNNING,
                "moveLeader(ZkNode, Duration)",
                "zero",
                z -> z.moveLeader(z.node(1), Duration.ZERO),
                IAE,
                "timeout must be positive, got PT0S");
        add(
                t,
                Fixture.RUNNING,
                "start()",
                "running already",
                ZkEnsemble::start,
                ISE,
                "ensemble {zk} is running already; call stop() first");
        for (int id : new int[] {0, -1, 4, Integer.MAX_VALUE}) {
            add(
                    t,
                    Fixture.RUNNING,
                    "node(int)",
                    String.valueOf(id),
                    z -> z.node(id),
                    IAE,
                    "no node with id " + id + " in {zk}; ids are [1, 2, 3]");
        }
        add(
                t,
                Fixture.RUNNING,
                "remove(ZkNode)",
                "9",
                z -> run(() -> z.remove(z.node(9))),
                IAE,
                "no node with id 9 in {zk}; ids are [1, 2, 3]");
        add(
                t,
                Fixture.RUNNING,
                "makeVoter(ZkNode)",
                "a voter to voter",
                z -> z.makeVoter(z.node(1)),
                ISE,
                "node 1 is already a voter");
        add(
                t,
                Fixture.RUNNING,
                "makeObserver(ZkNode)",
                "id -2",
                z -> z.makeObserver(z.node(-2)),
                IAE,
                "no node with id -2 in {zk}; ids are [1, 2, 3]");
        add(
                t,
                Fixture.RUNNING,
                "ZkNode.restart()",
                "a running node",
                z -> z.node(1).restart(),
                ISE,
                "node 1 is running; stop() or kill() it before restart()");
        add(
                t,
                Fixture.RUNNING,
                "ZkNode.fourLetterWord(String)",
                "null",
                z -> z.node(1).fourLetterWord(null),
                NPE,
                "command must not be null");
        for (String word : new String[] {"RUOK", "ruo", "", "ruok\n", "ru ok"}) {
            add(
                    t,
                    Fixture.RUNNING,
                    "ZkNode.fourLetterWord(String)",
                    "\"" + word.replace("\n", "\\n") + "\"",
                    z -> z.node(1).fourLetterWord(word),
                    IAE,
                    "a four-letter word is four lowercase letters, got \"" + word + "\"");
        }
        add(
                t,
                Fixture.RUNNING,
                "awaitLeader(Duration)",
                "null",
                z -> z.awaitLeader(null),
                NPE,
                "timeout must not be null");
        add(
                t,
                Fixture.RUNNING,
                "awaitLeader(Duration)",
                "zero",
                z -> z.awaitLeader(Duration.ZERO),
                IAE,
                "timeout must be positive, got PT0S");
        add(
                t,
                Fixture.RUNNING,
                "awaitServing(Duration)",
                "-5 ms",
                z -> run(() -> z.awaitServing(minus)),
                IAE,
                "timeout must be positive, got PT-0.005S");
        add(
                t,
                Fixture.RUNNING,
                "ZkNode.awaitServing(Duration)",
                "null",
                z -> z.node(1).awaitServing(null),
                NPE,
                "timeout must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNode.awaitRole(Role, Duration)",
                "null role",
                z -> z.node(1).awaitRole(null, s1),
                NPE,
                "role must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNode.awaitRole(Role, Duration)",
                "null timeout",
                z -> z.node(1).awaitRole(Role.LEADER, null),
                NPE,
                "timeout must not be null");

        // ZkNetwork on a running ensemble
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.partition(Collection...)",
                "a null array",
                z -> z.network().partition((Collection<ZkNode>[]) null),
                NPE,
                "groups must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.partition(Collection...)",
                "a null group",
                z -> z.network().partition(List.of(z.node(1), z.node(2)), null),
                NPE,
                "a partition group must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.partition(List)",
                "no groups",
                z -> z.network().partition(),
                IAE,
                "a partition needs at least two groups, got 0: []");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.partition(Collection...)",
                "an empty group",
                z -> z.network().partition(List.of(z.node(1), z.node(2), z.node(3)), List.of()),
                IAE,
                "~partition group 2 is empty: .*");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.partition(Collection...)",
                "an unknown id",
                z -> z.network().partition(List.of(z.node(1), z.node(2)), List.of(z.node(4))),
                IAE,
                "no node with id 4 in {zk}; ids are [1, 2, 3]");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.partition(Collection...)",
                "a node in two groups",
                z -> z.network().partition(List.of(z.node(1), z.node(2)), List.of(z.node(2), z.node(3))),
                IAE,
                "node 2 is in two partition groups: [[1, 2], [2, 3]]");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.partition(Collection...)",
                "a null id",
                z -> {
                    List<ZkNode> withNull = new ArrayList<>();
                    withNull.add(z.node(1));
                    withNull.add(null);
                    return z.network().partition(withNull, List.of(z.node(2), z.node(3)));
                },
                NPE,
                "a node must not be null");
        // nodes are named by handle: a null handle names its parameter, an id no member has fails at node(int)
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.isolate(ZkNode...)",
                "none",
                z -> z.network().isolate(),
                IAE,
                "isolate needs at least one node, got none");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.isolate(ZkNode...)",
                "a null node",
                z -> z.network().isolate((ZkNode) null),
                NPE,
                "a node must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.freeze(ZkNode)",
                "null",
                z -> z.network().freeze(null),
                NPE,
                "node must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.cutClients(ZkNode)",
                "null",
                z -> z.network().cutClients(null),
                NPE,
                "node must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.cut(ZkNode, ZkNode)",
                "a null target",
                z -> z.network().cut(z.node(1), null),
                NPE,
                "to must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.disconnect(ZkNode, ZkNode)",
                "null",
                z -> z.network().disconnect(null, z.node(1)),
                NPE,
                "a must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.cut(ZkNode, ZkNode)",
                "1 and 1",
                z -> z.network().cut(z.node(1), z.node(1)),
                IAE,
                "a link joins two different nodes, got 1 and 1");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.stall(ZkNode, ZkNode)",
                "3 and 3",
                z -> z.network().stall(z.node(3), z.node(3)),
                IAE,
                "a link joins two different nodes, got 3 and 3");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.disconnect(ZkNode, ZkNode)",
                "2 and 9",
                z -> z.network().disconnect(z.node(2), z.node(9)),
                IAE,
                "no node with id 9 in {zk}; ids are [1, 2, 3]");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.latency(ZkNode, ZkNode, Duration, Duration)",
                "null latency",
                z -> z.network().latency(z.node(1), z.node(2), null, Duration.ZERO),
                NPE,
                "latency must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.latency(ZkNode, ZkNode, Duration, Duration)",
                "null jitter",
                z -> z.network().latency(z.node(1), z.node(2), Duration.ZERO, null),
                NPE,
                "jitter must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.latency(ZkNode, ZkNode, Duration, Duration)",
                "-5 ms",
                z -> z.network().latency(z.node(1), z.node(2), minus, Duration.ZERO),
                IAE,
                "latency must not be negative, got PT-0.005S");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.latency(ZkNode, ZkNode, Duration, Duration)",
                "-5 ms jitter",
                z -> z.network().latency(z.node(1), z.node(2), Duration.ZERO, minus),
                IAE,
                "jitter must not be negative, got PT-0.005S");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.latency(ZkNode, Duration, Duration)",
                "id 8",
                z -> z.network().latency(z.node(8), s1, Duration.ZERO),
                IAE,
                "no node with id 8 in {zk}; ids are [1, 2, 3]");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.latency(ZkNode, Duration, Duration)",
                "null latency",
                z -> z.network().latency(z.node(1), null, Duration.ZERO),
                NPE,
                "latency must not be null");
        add(
                t,
                Fixture.RUNNING,
                "ZkNetwork.bandwidth(ZkNode, ZkNode, Rate)",
                "a null rate",
                z -> z.network().bandwidth(z.node(1), z.node(2), null),
                NPE,
                "rate must not be null");
        add(
                t,
                Fixture.RUNNING,
                "Rate.bytesPerSecond(long)",
                "-5 B/s",
                z -> z.network().bandwidth(z.node(1), Rate.bytesPerSecond(-5)),
                IAE,
                "a rate must be at least 1 byte per second, got -5");
        add(
                t,
                Fixture.RUNNING,
                "dropClientConnection(long)",
                "an unknown session",
                z -> run(() -> z.dropClientConnection(0x1234)),
                IAE,
                "no running server of {zk} holds a connection for session 0x1234");
        add(
                t,
                Fixture.RUNNING,
                "expireSession(long)",
                "an unknown session",
                z -> run(() -> z.expireSession(0x1234)),
                IAE,
                "~the leader \\(node [123]\\) knows no session 0x1234");
        add(
                t,
                Fixture.RUNNING,
                "expireSession(long)",
                "-1",
                z -> run(() -> z.expireSession(-1)),
                IAE,
                "~the leader \\(node [123]\\) knows no session 0xffffffffffffffff");

        // no leader; killed nodes
        add(
                t,
                Fixture.NO_LEADER,
                "leader()",
                "no leader",
                ZkEnsemble::leader,
                ISE,
                "~no node of \\{zk\\} leads now; nodes: 1=LOOKING.* 2=STOPPED\\(KILLED.*Use awaitLeader\\(\\) to wait for an election");
        add(
                t,
                Fixture.NO_LEADER,
                "ZkNetwork.isolateLeader()",
                "no leader",
                z -> z.network().isolateLeader(),
                ISE,
                "no node of {zk} leads now, so there is no leader to isolate");
        add(
                t,
                Fixture.NO_LEADER,
                "expireSession(long)",
                "no leader",
                z -> run(() -> z.expireSession(1)),
                ISE,
                "no node of {zk} leads now; only the leader can expire a session");
        add(
                t,
                Fixture.NO_LEADER,
                "awaitLeader(Duration)",
                "no quorum, 300 ms",
                z -> z.awaitLeader(Duration.ofMillis(300)),
                ZkTimeoutException.class,
                "~Timed out after 300 ms waiting for a leader that serves and that a quorum of voters follows; nodes: 1=LOOKING\\(not serving.*");
        add(
                t,
                Fixture.NO_LEADER,
                "ZkNode.kill()",
                "a killed node",
                z -> z.node(2).kill(),
                ISE,
                "node 2 is KILLED; only a running node can be killed");
        add(
                t,
                Fixture.NO_LEADER,
                "ZkNode.stop()",
                "a killed node",
                z -> z.node(2).stop(),
                ISE,
                "node 2 is KILLED; only a running node can be stopped");
        add(
                t,
                Fixture.NO_LEADER,
                "ZkNode.fourLetterWord(String)",
                "a killed node",
                z -> z.node(3).fourLetterWord("ruok"),
                ISE,
                "node 3 is KILLED and cannot answer four-letter words; restart() it first");
        add(
                t,
                Fixture.NO_LEADER,
                "remove(ZkNode)",
                "no quorum left",
                z -> run(() -> z.remove(z.node(1))),
                ISE,
                "~removing node 1 would leave no quorum: of the 2 remaining voters only 0 serve; nodes: .*");
        add(
                t,
                Fixture.NO_LEADER,
                "makeObserver(ZkNode)",
                "no quorum left",
                z -> z.makeObserver(z.node(1)),
                ISE,
                "~turning node 1 into an observer would leave no quorum: .*");

        add(
                t,
                Fixture.NO_LEADER,
                "moveLeader(ZkNode)",
                "a killed node",
                z -> z.moveLeader(z.node(3)),
                ISE,
                "node 3 is KILLED and cannot lead; restart() it first");
        add(
                t,
                Fixture.NO_LEADER,
                "moveLeader(ZkNode)",
                "no quorum running",
                z -> z.moveLeader(z.node(1)),
                ISE,
                "~only 1 of 3 voters run: no quorum can elect node 1; restart\\(\\) the others first\\. Nodes: .*");

        // stopped
        add(
                t,
                Fixture.STOPPED,
                "stop()",
                "stopped already",
                z -> run(z::stop),
                ISE,
                "ensemble {zk} is stopped; only a running ensemble can be stopped");
        add(
                t,
                Fixture.STOPPED,
                "ZkNode.kill()",
                "a stopped ensemble",
                z -> z.node(1).kill(),
                ISE,
                "node 1 is STOPPED; only a running node can be killed");
        add(
                t,
                Fixture.STOPPED,
                "addVoter()",
                "a stopped ensemble",
                z -> z.addVoter(),
                ISE,
                "ensemble {zk} is stopped; start() it before you add a voter");

        add(
                t,
                Fixture.STOPPED,
                "moveLeader(ZkNode)",
                "a stopped ensemble",
                z -> z.moveLeader(z.node(1)),
                ISE,
                "ensemble {zk} is stopped; start() it before you move the leader");

        // after close: every call says so
        String closedMessage = "ensemble {zk} is closed";
        List<Object[]> afterClose = List.of(
                new Object[] {"start()", (Call) ZkEnsemble::start},
                new Object[] {"stop()", (Call) z -> run(z::stop)},
                new Object[] {"reset()", (Call) z -> run(z::reset)},
                new Object[] {"connectString()", (Call) ZkEnsemble::connectString},
                new Object[] {"leader()", (Call) ZkEnsemble::leader},
                new Object[] {"awaitLeader()", (Call) ZkEnsemble::awaitLeader},
                new Object[] {"awaitServing()", (Call) z -> run(z::awaitServing)},
                new Object[] {"baseDirectory()", (Call) ZkEnsemble::baseDirectory},
                new Object[] {"addObserver()", (Call) ZkEnsemble::addObserver},
                new Object[] {"remove(ZkNode)", (Call) z -> run(() -> z.remove(z.node(1)))},
                new Object[] {"makeObserver(ZkNode)", (Call) z -> z.makeObserver(z.node(1))},
                new Object[] {"moveLeader(ZkNode)", (Call) z -> z.moveLeader(z.node(1))},
                new Object[] {"ZkNode.kill()", (Call) z -> z.node(1).kill()},
                new Object[] {"ZkNode.stop()", (Call) z -> z.node(1).stop()},
                new Object[] {"ZkNode.restart()", (Call) z -> z.node(1).restart()},
                new Object[] {"ZkNode.wipe()", (Call) z -> z.node(1).wipe()},
                new Object[] {
                    "ZkNode.fourLetterWord(String)", (Call) z -> z.node(1).fourLetterWord("ruok")
                },
                new Object[] {"ZkNode.connectString()", (Call) z -> z.node(1).connectString()},
                new Object[] {"ZkNode.awaitServing()", (Call) z -> z.node(1).awaitServing()},
                new Object[] {
                    "ZkNode.awaitRole(Role, Duration)", (Call) z -> z.node(1).awaitRole(Role.LEADER, s1)
                },
                new Object[] {
                    "ZkNetwork.isolate(ZkNode)", (Call) z -> z.network().isolate(z.node(1))
                },
                new Object[] {
                    "ZkNetwork.isolateLeader()", (Call) z -> z.network().isolateLeader()
                },
                new Object[] {
                    "ZkNetwork.partition(Collection...)",
                    (Call) z -> z.network().partition(List.of(z.node(1)), List.of(z.node(2), z.node(3)))
                },
                new Object[] {
                    "ZkNetwork.cut(ZkNode, ZkNode)", (Call) z -> z.network().cut(z.node(1), z.node(2))
                },
                new Object[] {
                    "ZkNetwork.latency(ZkNode, Duration, Duration)",
                    (Call) z -> z.network().latency(z.node(1), s1, Duration.ZERO)
                },
                new Object[] {"expireSession(long)", (Call) z -> run(() -> z.expireSession(1))},
                new Object[] {"dropClientConnection(long)", (Call) z -> run(() -> z.dropClientConnection(1))});
        for (Object[] row : afterClose) {
            add(t, Fixture.CLOSED, (String) row[0], "after close()", (Call) row[1], ISE, closedMessage);
        }
        add(t, Fixture.CLOSED, "close()", "a second time", z -> run(z::close), null, null);

        // without links
        add(
                t,
                Fixture.NO_LINKS,
                "ZkNetwork.isolate(ZkNode)",
                "links(false)",
                z -> z.network().isolate(z.node(1)),
                ISE,
                "ensemble {zk} runs without links (links(false)), so it cannot isolate node 1");
        add(
                t,
                Fixture.NO_LINKS,
                "ZkNetwork.cutClients(ZkNode)",
                "links(false)",
                z -> z.network().cutClients(z.node(1)),
                ISE,
                "ensemble {zk} runs without links (links(false)), so it cannot cut clients of node 1");

        // a node removed from the ensemble
        add(
                t,
                Fixture.REMOVED,
                "remove(ZkNode)",
                "removed already",
                z -> run(() -> z.remove(removed)),
                ISE,
                "~node \\d+ was removed already");
        add(
                t,
                Fixture.REMOVED,
                "moveLeader(ZkNode)",
                "a removed node",
                z -> z.moveLeader(removed),
                ISE,
                "~node \\d+ was removed from .* and cannot lead; addVoter\\(\\) brings a new voter");
        add(
                t,
                Fixture.REMOVED,
                "ZkNode.kill()",
                "a removed node",
                z -> removed.kill(),
                ISE,
                "~node \\d+ is REMOVED; only a running node can be killed");
        add(
                t,
                Fixture.REMOVED,
                "ZkNode.restart()",
                "a removed node",
                z -> removed.restart(),
                ISE,
                "~node \\d+ (was removed|is REMOVED).*");
        add(
                t,
                Fixture.REMOVED,
                "ZkNode.wipe()",
                "a removed node",
                z -> removed.wipe(),
                ISE,
                "~node \\d+ (was removed|is REMOVED).*");
        return t;
    }

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IllegalStateException> ISE = IllegalStateException.class;
    private static final Class<NullPointerException> NPE = NullPointerException.class;

    private static void b(
            List<Case> t,
            String entryPoint,
            String badInput,
            Call call,
            Class<? extends Throwable> type,
            String message) {
        t.add(new Case("ZkEnsemble.Builder." + entryPoint, badInput, Fixture.BUILDER, call, type, message));
    }

    private static void add(
            List<Case> t,
            Fixture f,
            String entryPoint,
            String badInput,
            Call call,
            Class<? extends Throwable> type,
            String message) {
        t.add(new Case(
                entryPoint.startsWith("Zk") ? entryPoint : "ZkEnsemble." + entryPoint,
                badInput,
                f,
                call,
                type,
                message));
    }

    /** For void calls in the table. */
    @FunctionalInterface
    interface VoidCall {
        void run() throws Exception;
    }

    private static Object run(VoidCall call) throws Exception {
        call.run();
        return null;
    }

    // ------------------------------------------------------------------------------------------------ running it

    @TestFactory
    Stream<DynamicTest> everyEntryPointRefusesBadInputWithASpecificMessage() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        ZkEnsemble fresh =
                c.fixture() == Fixture.NEW ? ZkEnsemble.builder().voters(3).build() : null;
        ZkEnsemble zk = fresh != null ? fresh : ensemble(c.fixture());
        Set<Long> listenersBefore = listeners();
        int faultsBefore =
                zk == null || zk.isClosed() ? 0 : zk.network().faults().size();
        Throwable thrown = null;
        try {
            BOUNDED.call(c.name(), CALL, () -> c.call().call(zk));
        } catch (Bounded.HungCall hung) {
            throw hung;
        } catch (Throwable t) {
            thrown = t;
        } finally {
            if (fresh != null) {
                BOUNDED.run("close() of the fresh ensemble", CALL, fresh::close);
            }
        }
        String name = zk == null ? "" : zk.name();
        // every problem of the case is reported, so that a wrong message does not hide a leak
        List<String> problems = new ArrayList<>();
        if (c.type() == null) {
            if (thrown != null) {
                problems.add("should return, but threw " + thrown);
            }
        } else if (thrown == null) {
            problems.add("returned; expected " + c.type().getSimpleName() + ": " + c.message());
        } else if (thrown.getClass() != c.type()) {
            problems.add("threw " + thrown + "; expected " + c.type().getName() + ": " + c.message());
        } else if (c.message().startsWith("~")) {
            String regex = c.message().substring(1).replace("\\{zk\\}", Pattern.quote(name));
            if (thrown.getMessage() == null
                    || !Pattern.compile(regex, Pattern.DOTALL)
                            .matcher(thrown.getMessage())
                            .matches()) {
                problems.add("message \"" + thrown.getMessage() + "\" does not match " + regex);
            }
        } else if (!c.message().replace("{zk}", name).equals(thrown.getMessage())) {
            problems.add("message \"" + thrown.getMessage() + "\", expected \""
                    + c.message().replace("{zk}", name) + "\"");
        }
        if (zk != null && !zk.isClosed() && zk.network().faults().size() != faultsBefore) {
            problems.add("left a fault: " + zk.network().faults());
        }
        Set<Long> left = new HashSet<>(listeners());
        left.removeAll(listenersBefore);
        if (!left.isEmpty()) {
            problems.add("left listening sockets: "
                    + ProcNet.ownListeners().stream()
                            .filter(l -> left.contains(l.inode()))
                            .toList());
        }
        if (fresh != null && !threadsOf(fresh.name()).isEmpty()) {
            problems.add("threads of the fresh ensemble after close(): " + threadsOf(fresh.name()));
        }
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError(c.name() + ": " + String.join("; ", problems));
            if (thrown != null) {
                e.initCause(thrown);
            }
            throw e;
        }
    }

    private static Set<Long> listeners() {
        return ProcNet.available()
                ? ProcNet.ownListeners().stream().map(ProcNet.Listener::inode).collect(Collectors.toSet())
                : Set.of();
    }

    /** Live threads in the thread groups of ensemble {@code name} (its own group and its nodes' groups). */
    static List<String> threadsOf(String name) {
        return Threads.namesInGroups(group -> group.equals(name) || group.startsWith(name + "-node-"));
    }

    // ------------------------------------------------------------------------------------------------ beyond the table

    @Test
    void aStartThatCannotCreateItsDirectoryNamesWhyAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Set<Long> before = listeners();
        ZkEnsemble zk = ZkEnsemble.builder().voters(3).baseDirectory(file).build();
        ZkStartException e = BOUNDED.call("start() in a file", CALL, () -> {
            try {
                zk.start();
                return null;
            } catch (ZkStartException expected) {
                return expected;
            }
        });
        assertTrue(e != null, "start() in a regular file returned");
        assertTrue(zk.isClosed(), "a failed start closes the ensemble");
        assertEquals(List.of(), threadsOf(zk.name()));
        assertEquals(before, listeners());
        assertTrue(e.getMessage().startsWith("ensemble " + zk.name() + " did not start: "), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the path: " + e.getMessage());
        assertTrue(
                Pattern.compile("(?i).*(exists|not a directory).*")
                        .matcher(e.getMessage())
                        .matches(),
                "says why the directory could not be made: " + e.getMessage());
    }

    @Test
    void aRefusedRestartOfANewEnsembleLeavesNothingWhenItIsStartedAndClosedLater() {
        Set<Long> before = listeners();
        ZkEnsemble zk = ZkEnsemble.builder().voters(3).build();
        try {
            BOUNDED.call("restart() before start()", CALL, () -> zk.node(1).restart());
        } catch (RuntimeException refused) {
            // the table checks what it says; here only what it leaves
        }
        BOUNDED.call("start()", FIXTURE, zk::start);
        BOUNDED.run("close()", FIXTURE, zk::close);
        assertEquals(List.of(), threadsOf(zk.name()));
        Set<Long> left = new HashSet<>(listeners());
        left.removeAll(before);
        assertEquals(
                Set.of(),
                left,
                "listening sockets left by a closed ensemble: "
                        + ProcNet.ownListeners().stream()
                                .filter(l -> left.contains(l.inode()))
                                .toList());
    }

    @Test
    void aLatencyTooLargeForTheLinksIsRefusedWithoutLeavingAFaultBehind() {
        ZkEnsemble zk = BOUNDED.call(
                "start()", FIXTURE, () -> ZkEnsemble.builder().voters(3).start());
        try {
            Duration century = Duration.ofDays(36_500);
            for (Call call : List.<Call>of(
                    z -> z.network().latency(z.node(1), z.node(2), century, Duration.ZERO),
                    z -> z.network().latency(z.node(3), Duration.ZERO, century))) {
                try {
                    BOUNDED.call("latency of 100 years", CALL, () -> call.call(zk));
                    fail("a latency of 100 years was accepted");
                } catch (IllegalArgumentException refused) {
                    assertTrue(refused.getMessage().contains("PT876000H"), refused.getMessage());
                }
                assertEquals(List.of(), zk.network().faults(), "a refused fault is still listed");
            }
            // and nothing else is refused because of it
            Fault isolated = BOUNDED.call("isolate(2)", CALL, () -> zk.network().isolate(zk.node(2)));
            isolated.heal();
            BOUNDED.run("kill() of node 3", CALL, () -> zk.node(3).kill());
        } finally {
            BOUNDED.run("close()", FIXTURE, zk::close);
        }
    }

    @Test
    void resetOfAStoppedEnsembleWithAFaultInForceHealsItAndServes() {
        ZkEnsemble zk = BOUNDED.call(
                "start()",
                FIXTURE,
                () -> ZkEnsemble.builder()
                        .voters(3)
                        .startTimeout(Duration.ofSeconds(5))
                        .start());
        try {
            BOUNDED.run("stop()", CALL, zk::stop);
            BOUNDED.call("isolate(1)", CALL, () -> zk.network().isolate(zk.node(1)));
            // reset() promises to heal every fault and restart every node; it must not wait for an isolated node first
            BOUNDED.run("reset()", Duration.ofSeconds(30), zk::reset);
            assertEquals(List.of(), zk.network().faults());
            BOUNDED.run("awaitServing()", CALL, () -> zk.awaitServing(Duration.ofSeconds(5)));
        } finally {
            BOUNDED.run("close()", FIXTURE, zk::close);
        }
    }

    @Test
    void hugeTimeoutsAreHonouredOrRefusedNeverOverflow() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        List<String> problems = new ArrayList<>();
        List<Object[]> waits = List.of(
                new Object[] {"awaitLeader(huge)", (Call) z -> z.awaitLeader(huge)},
                new Object[] {"awaitServing(huge)", (Call) z -> run(() -> z.awaitServing(huge))},
                new Object[] {"ZkNode.awaitServing(huge)", (Call) z -> z.node(1).awaitServing(huge)},
                new Object[] {
                    "ZkNode.awaitRole(current role, huge)",
                    (Call) z -> z.node(1).awaitRole(z.node(1).role(), huge)
                });
        for (Object[] w : waits) {
            try {
                // each condition holds already: the wait should return at once, or refuse the timeout up front
                BOUNDED.call((String) w[0], CALL, () -> ((Call) w[1]).call(running));
            } catch (IllegalArgumentException refused) {
                if (!refused.getMessage().contains("timeout")) {
                    problems.add(w[0] + " refused with an unclear message: " + refused.getMessage());
                }
            } catch (RuntimeException e) {
                problems.add(w[0] + " threw " + e);
            }
        }
        try {
            ZkEnsemble zk = BOUNDED.call(
                    "builder().startTimeout(huge).start()",
                    FIXTURE,
                    () -> ZkEnsemble.builder().voters(1).startTimeout(huge).start());
            BOUNDED.run("close()", FIXTURE, zk::close);
        } catch (IllegalArgumentException refused) {
            if (!refused.getMessage().contains("startTimeout")) {
                problems.add("startTimeout(huge) refused with an unclear message: " + refused.getMessage());
            }
        } catch (RuntimeException e) {
            problems.add("startTimeout(huge) then start() threw " + e);
        }
        assertEquals(List.of(), problems);
    }
}
