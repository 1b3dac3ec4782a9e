package io.github.zkharness.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a real ZooKeeper ensemble for the annotated tests.
 *
 * <pre>{@code
 * @ZkCluster(nodes = 3)
 * class LockTests {
 *     @Test
 *     void survivesLeaderCrash(ZooKeeper client, @ZkLeader ZkNode leader) { ... }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>On a class</b>: one ensemble for the class, started before its first test and closed after its last,
 *       shared by its tests and its {@code @Nested} classes. Before each test, the ensemble is
 *       {@linkplain io.github.zkharness.ZkEnsemble#reset() reset} (faults healed, stopped nodes restarted, every
 *       znode outside {@code /zookeeper} deleted) unless nothing happened since it started or was last reset, so
 *       every test starts clean: the first one usually finds it fresh. Data written in {@code @BeforeAll} is
 *       gone before the first test too, and sessions opened there stay open but lose their ephemerals at each
 *       reset (a {@code LeaderLatch} or service registration started there vanishes under it): start those in
 *       each test, and write data every test needs in a {@link ZkSeed} method, which runs after the start and
 *       after every reset. See {@link #resetBetweenTests()}. Subclasses inherit it.</li>
 *   <li><b>On a method</b>: a fresh ensemble for that test only (for each invocation of a repeated or
 *       parameterized test).</li>
 *   <li><b>As a meta-annotation</b>: {@code @ZkCluster(nodes = 5) @Retention(RUNTIME) @Inherited @interface
 *       FiveNodeZk {}} works wherever {@code @ZkCluster} does.</li>
 * </ul>
 *
 * <p>Exactly one ensemble applies to a test. Declaring a second one where one applies already is an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException}: {@code @ZkCluster} on a method (or a
 * {@code @Nested} class) under a class that has one, or {@code @ZkCluster} together with a
 * {@code @RegisterExtension ZkClusterExtension} field. To give some tests another ensemble, put them in a class of
 * their own.
 *
 * <p>Parameters the extension injects: {@link io.github.zkharness.ZkEnsemble}, a connected
 * {@code org.apache.zookeeper.ZooKeeper}, a started {@code org.apache.curator.framework.CuratorFramework} (when
 * Curator is on the class path), {@code @ZkConnectString String}, {@code @ZkNodeId(n) ZkNode} and
 * {@code @ZkLeader ZkNode}. Injected clients are closed after the test (or after the class, for {@code @BeforeAll}
 * parameters).
 *
 * <p>The attributes are translated into calls on {@link io.github.zkharness.ZkEnsemble.Builder}, which checks them;
 * their defaults are the builder's. An invalid value fails the tests it applies to with a message quoting it as
 * written ({@code Invalid @ZkCluster(nodes = 0) on class x.Y: ...}). For anything else the builder offers, register
 * the extension with {@link ZkClusterExtension#builder()} and its {@code configure(...)} instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ZkClusterExtension.class)
@API(status = API.Status.STABLE, since = "0.1")
public @interface ZkCluster {

    /**
     * How many servers to run, observers included; the others vote (what ZooKeeper calls participants). The
     * default 3 is three voters; {@code nodes = 4, observers = 1} is three voters and one observer, and
     * {@code ZkEnsemble.nodes()} lists all four. At least one must vote ({@code observers < nodes}), and there are
     * {@code 1..15} voters. The sandbox's {@code --nodes} counts the same way; the core builder counts
     * {@link io.github.zkharness.ZkEnsemble.Builder#voters(int) voters} and
     * {@link io.github.zkharness.ZkEnsemble.Builder#observers(int) observers} apart.
     */
    int nodes() default 3;

    /**
     * How many of the {@link #nodes()} are observers (they serve reads, forward writes and never vote), numbered
     * after the voters; {@code 0..15}, and fewer than {@code nodes}. Observers need at least two voters.
     */
    int observers() default 0;

    /** ZooKeeper's tick in milliseconds; {@code 1..60000}. */
    long tickTimeMs() default 100;

    /**
     * The session timeouts clients may negotiate, {@code {min, max}} in milliseconds, e.g.
     * {@code sessionTimeoutsMs = {200, 4000}}; empty (the default) for 2 ticks to the larger of 20 ticks and 60 s.
     * Injected clients ask for 30 s and get it clamped to these bounds.
     */
    long[] sessionTimeoutsMs() default {};

    /** Ticks a follower may take to connect to and sync with a new leader; at least 1. */
    int initLimit() default 10;

    /** Ticks a follower may fall silent before it and the leader drop each other; at least 1. */
    int syncLimit() default 5;

    /** Whether each node keeps its transaction log in a directory apart from its snapshots. */
    boolean separateDataLogDir() default false;

    /**
     * {@code zoo.cfg} settings for every server, each {@code "key=value"}, e.g. {@code "maxClientCnxns=10"}. See
     * {@link io.github.zkharness.ZkEnsemble.Builder#serverSetting(String, String)} for the supported keys.
     */
    String[] serverSettings() default {};

    /**
     * The four-letter words the servers answer; {@code "*"} is all. ZooKeeper keeps this list JVM-wide: classes whose
     * ensembles run at the same time must ask for the same list.
     */
    String[] fourLetterWords() default {"*"};

    /** How long the start, each reset and each membership change may take, in milliseconds. */
    long startTimeoutMs() default 30_000;

    /**
     * The default timeout of the ensemble's waits ({@code awaitLeader()}, {@code node.awaitServing()}, ...) and of
     * connecting injected clients, in milliseconds.
     */
    long awaitTimeoutMs() default 30_000;

    /**
     * Whether connections pass through the harness's links, which faults act on and which make a kill reset
     * connections. Without them there is no {@code network()} to break.
     */
    boolean links() default true;

    /**
     * Whether a thread of ZooKeeper's that dies of an uncaught exception fails the ensemble's next wait at once
     * ({@code ZkThreadDeathException}) instead of only being recorded and shown in the diagnostics; see the core
     * builder's {@code failOnThreadDeath}.
     */
    boolean failOnThreadDeath() default false;

    /**
     * Whether a server cut off from its quorum serves reads to clients that allow it, as ZooKeeper's read-only server;
     * every server then gets local sessions and their upgrade. See the core builder's {@code readOnlyMode}.
     */
    boolean readOnlyMode() default false;

    /** The id of the first server (then the next ones); see the core builder's {@code firstId}. */
    int firstId() default 1;

    /**
     * The voter that leads once the ensemble has started and again after each reset, by id, e.g. {@code leader = 1}
     * for the lowest; 0 (the default) leaves it to ZooKeeper, whose fresh ensembles elect the highest id. See
     * {@link io.github.zkharness.LeaderPlacement#node(int)}. Not together with {@link #leaderSeed()}.
     */
    int leader() default 0;

    /**
     * One seed, e.g. {@code leaderSeed = 42}: a voter drawn from it leads once the ensemble has started and again
     * after each reset, the same voter for the same seed ({@code ZkEnsemble.preferredLeader()} names it); empty (the
     * default) for none. See {@link io.github.zkharness.LeaderPlacement#random(long)}. Not together with
     * {@link #leader()}.
     */
    long[] leaderSeed() default {};

    /**
     * Whether the ensemble talks TLS, on its client ports and between peers, with certificates the harness generates;
     * the injected clients are configured for it, and a {@code ZkTls} parameter gets the stores. See the core
     * builder's {@code tls}.
     */
    boolean tls() default false;

    /** Whether TLS client ports require a client certificate; needs {@code tls = true}. See the core builder's. */
    boolean mutualTls() default false;

    /** Whether TLS client ports also take plain clients; needs {@code tls = true}. See the core builder's. */
    boolean plainClientPort() default false;

    /**
     * Whether the peers authenticate each other with SASL (DIGEST-MD5) under a quorum identity the harness generates.
     * See the core builder's {@code quorumSasl}.
     */
    boolean quorumSasl() default false;

    /**
     * SASL (DIGEST-MD5) users the client ports accept, each {@code "user:password"}, e.g.
     * {@code "alice:alice-secret"}; a client logs in with a {@code ZkEnsemble} parameter's
     * {@code saslClientConfig(user, password)}. See the core builder's {@code saslUser}.
     */
    String[] saslUsers() default {};

    /**
     * Whether a class-level ensemble is reset before each test that finds it changed (a transaction, a fault, a node
     * down since the last start or reset). Turn it off only for tests that keep out of each other's way on their
     * own, for example under paths of their own; with it off, the tests of the class may also run concurrently.
     */
    boolean resetBetweenTests() default true;

    /**
     * A name to share one ensemble across test classes for the whole run, like a singleton container: every class
     * whose {@code @ZkCluster} has the same {@code shared} name gets the same ensemble, started by the first test
     * that needs it and closed when the run ends. It is reset between tests as usual (so each test, in any class,
     * starts clean), and tests on it take turns, also under JUnit's parallel mode (classes with ensembles of their
     * own still run concurrently). A test waits at most 600 s for its turn, then fails with a
     * {@link io.github.zkharness.ZkTimeoutException} naming the test that holds the ensemble; the JUnit configuration
     * parameter {@code zkharness.shared.turnTimeoutSeconds} (a whole number of seconds) changes that bound. Classes
     * sharing a name must declare the same settings and seed methods; a class that differs fails with both
     * declarations named. Empty (the default): the class's own ensemble.
     */
    String shared() default "";
}
