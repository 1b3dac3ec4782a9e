package io.github.zkharness;

import io.github.zkharness.history.History;
import io.github.zkharness.internal.Await;
import io.github.zkharness.internal.Facades;
import io.github.zkharness.internal.JvmGlobals;
import io.github.zkharness.internal.PeerWiring;
import io.github.zkharness.internal.Ports;
import io.github.zkharness.internal.ZooKeeperVersion;
import io.github.zkharness.internal.ensemble.ClientTargets;
import io.github.zkharness.internal.ensemble.Cluster;
import io.github.zkharness.internal.ensemble.EnsembleConfig;
import io.github.zkharness.internal.ensemble.EnsembleParts;
import io.github.zkharness.internal.ensemble.EnsembleSettings;
import io.github.zkharness.internal.ensemble.NodeRuntime;
import io.github.zkharness.internal.security.EnsembleSasl;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apiguardian.api.API;

/**
 * A running Apache ZooKeeper ensemble inside this JVM: real {@code QuorumPeer}s, each with its own data
 * directory, {@code myid} file and loopback ports.
 *
 * <pre>{@code
 * try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
 *     ZooKeeper client = new ZooKeeper(zk.connectString(), 10_000, event -> { });
 *     ...
 *     zk.leader().kill();              // crash the leader
 *     zk.awaitLeader();                // the other two elect a new one
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns only when a leader is elected and every node serves clients. {@link #close()}
 * stops every peer and leaves no thread, socket, file or directory of the ensemble behind.
 *
 * <p><b>Quorum arithmetic.</b> An ensemble of {@code n} voters serves writes while more than half of them run:
 * 3 voters tolerate 1 failure, 5 tolerate 2. An even count tolerates no more than the odd count below it
 * (4 voters tolerate 1), which is why production ensembles are odd; the harness allows even counts because
 * tests need them. Observers never count toward the quorum.
 *
 * <p>Methods may be called from any thread. Node control (stop, kill, restart, wipe) is serialized per
 * ensemble; inspection never blocks on it.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ZkEnsemble implements Closeable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final EnsembleParts parts;
    private final Cluster cluster;
    private final ZkNetwork network;
    private final Map<Integer, ZkNode> handles = new ConcurrentHashMap<>();
    private final List<DataSeed> seeds;

    private ZkEnsemble(EnsembleConfig config, List<DataSeed> seeds) {
        this.seeds = List.copyOf(seeds);
        this.parts = EnsembleParts.assemble("zk-harness-" + SEQUENCE.incrementAndGet(), config);
        this.cluster = parts.cluster();
        this.network = Facades.create(ZkNetwork.class, cluster.network());
    }

    /**
     * Applies zk-harness's JVM-wide ZooKeeper settings now (docs/guide/what-the-harness-does-to-your-jvm.md),
     * which the first {@link #start()} otherwise does. Some of them ZooKeeper reads once, when a class loads (how
     * fast a node rejoins after a partition, for one): a suite that starts another ZooKeeper server in the same
     * JVM before its first zk-harness ensemble (a Curator {@code TestingServer}, say) calls this first, e.g. in a
     * JUnit {@code LauncherSessionListener} or a static initializer. Idempotent.
     *
     * @throws IllegalStateException if the ZooKeeper on the class path is not supported, or a system property
     *     asks for what the harness cannot run with (see {@link #start()})
     */
    public static void installJvmSettings() {
        ZooKeeperVersion.requireSupported();
        JvmGlobals.install();
        JvmGlobals.awaitInstalled();
    }

    /** A builder with fast defaults for tests: 3 voters, no observers, tickTime 100 ms. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Starts every node and returns once a leader is elected and every node serves clients. After
     * {@link #stop()}, starts the stopped nodes again with their data.
     *
     * @throws ZkStartException if that does not happen within the start timeout; nothing is left running then
     * @throws IllegalStateException if the ensemble runs already or is closed, or if a system property asks
     *     ZooKeeper for what the harness cannot run with (an AdminServer: {@code zookeeper.admin.enableServer})
     */
    public ZkEnsemble start() {
        boolean first = cluster.phase() == Cluster.Phase.NEW;
        parts.lifecycle().start();
        if (first) {
            plantSeeds("start");
        }
        return this;
    }

    /**
     * Stops every running node gracefully. The data stays; {@link #start()} brings the ensemble back.
     *
     * @throws IllegalStateException if the ensemble is not running
     */
    public void stop() {
        parts.lifecycle().stop();
    }

    /** {@link #rollingRestart(Duration)} with the default timeout for each node. */
    public ZkEnsemble rollingRestart() {
        return rollingRestart(defaultTimeout());
    }

    /**
     * Restarts every running node one at a time, as an operator's rolling restart does: the followers and observers
     * by id, then the leader. Each is stopped gracefully ({@link ZkNode#stop()}) and started again on its data
     * ({@link ZkNode#restart()}), and the next one waits until a leader and every running node serve again. Nodes
     * the test stopped or killed stay down. A recorded history ({@link #recordFaults}) gets each node's stop.
     *
     * <p>A restart loads what a server's files hold, not what it held in memory. Run one before the checkers to see
     * what the next restart of each server would lose: a transaction a server applied but never wrote to its log
     * (after a temporary disk error, say) is then gone from it, or the server refuses its files.
     *
     * @return this ensemble
     * @throws IllegalArgumentException if {@code timeoutPerNode} is not positive
     * @throws IllegalStateException if the ensemble does not run
     * @throws ZkStartException if a node refuses to start on its files, with ZooKeeper's reason, as from
     *     {@link ZkNode#restart()}; the nodes after it are not restarted
     * @throws ZkTimeoutException naming every node's state, if a leader and every running node do not serve within
     *     {@code timeoutPerNode} of a node's restart
     */
    public ZkEnsemble rollingRestart(Duration timeoutPerNode) {
        Await.requirePositive("timeoutPerNode", timeoutPerNode);
        parts.lifecycle().rollingRestart(timeoutPerNode);
        return this;
    }

    /**
     * Stops every peer, closes every link, waits (bounded) for every thread of the ensemble to end and deletes
     * every directory it created. Idempotent.
     *
     * @throws ZkExitRequestedException after cleaning up, if ZooKeeper asked the JVM to exit while this
     *     ensemble ran (the harness refused; a real server would have died)
     */
    @Override
    public void close() {
        parts.lifecycle().close();
    }

    // ---------------------------------------------------------------------------------------------- inspection

    /** The client connect string for every node, observers included: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String connectString() {
        cluster.requireStarted();
        return nodes().stream().map(ZkNode::connectString).collect(Collectors.joining(","));
    }

    /**
     * A connect string for the given nodes only, in the order given, e.g. the voters:
     * {@code connectStringOf(zk.voters())}. Append a chroot path yourself: {@code + "/app"}.
     *
     * @throws IllegalArgumentException if {@code nodes} is empty or holds a node of another ensemble
     */
    public String connectStringOf(Collection<ZkNode> nodes) {
        Objects.requireNonNull(nodes, "nodes must not be null");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a connect string needs at least one node, got none");
        }
        for (ZkNode node : nodes) {
            requireOwn(node);
        }
        return nodes.stream().map(ZkNode::connectString).collect(Collectors.joining(","));
    }

    /**
     * A new ZooKeeper client of every node, connected: it asks for a 30 s session and returns once connected.
     * The caller closes it.
     *
     * @throws ZkTimeoutException if it does not connect within the default timeout
     */
    public ZooKeeper newZooKeeper() {
        return newZooKeeper(connectString());
    }

    /**
     * A new ZooKeeper client of {@code connectString} (see {@link #connectStringOf}, and a chroot suffix such
     * as {@code "/app"} is allowed), connected, as {@link #newZooKeeper()}. The caller closes it.
     *
     * @throws IllegalArgumentException at once if {@code connectString} does not parse, is a chroot alone, or names
     *     an address that is not a server of this ensemble (for another server, use ZooKeeper's constructor)
     * @throws IllegalStateException at once if none of the servers it names runs and takes clients
     */
    public ZooKeeper newZooKeeper(String connectString) {
        Objects.requireNonNull(connectString, "connectString must not be null");
        cluster.requireStarted();
        return ClientTargets.of(cluster).connect(connectString, defaultTimeout());
    }

    /**
     * The TLS material of an ensemble built with {@code tls(true)}: trust and key store paths, their password, a
     * ready {@code ZKClientConfig}.
     *
     * @throws IllegalStateException if the ensemble was built without {@code tls(true)}, or has not started yet (the
     *     material is generated at the first start)
     */
    public ZkTls tls() {
        if (cluster.config().tls() == null) {
            throw new IllegalStateException("ensemble " + name() + " was built without tls(true), so it has no TLS"
                    + " material; build it with ZkEnsemble.builder().tls(true)");
        }
        cluster.requireStarted();
        return Facades.create(ZkTls.class, cluster.tls());
    }

    /**
     * A new client configuration that logs in over SASL (DIGEST-MD5) as {@code user} with {@code password}, over TLS
     * when the ensemble has it: {@code new ZooKeeper(connectString, timeout, watcher, config)}, or Curator's
     * {@code zkClientConfig(config)}. The session then carries the identity {@code sasl:user}, which ACLs with the
     * {@code sasl} scheme name ({@code new Id("sasl", user)}). A user the ensemble did not declare, or a wrong
     * password, gets ZooKeeper's real answer: the client's watcher sees {@code AuthFailed}.
     *
     * @throws IllegalStateException if the ensemble was built without {@code saslUser(...)} or has not started yet
     */
    public ZKClientConfig saslClientConfig(String user, String password) {
        Objects.requireNonNull(user, "user must not be null");
        Objects.requireNonNull(password, "password must not be null");
        if (cluster.config().saslUsers().isEmpty()) {
            throw new IllegalStateException("ensemble " + name() + " was built without SASL users; declare them with"
                    + " ZkEnsemble.builder().saslUser(user, password)");
        }
        cluster.requireStarted();
        return cluster.saslClientConfig(user, password);
    }

    /**
     * From its next start on ({@link ZkNode#restart()}, or a start after a stop or kill), {@code node} presents
     * {@code password} to the other peers over quorum SASL instead of the ensemble's: a wrong one is ZooKeeper's real
     * refusal, so the node stays out of the quorum (it never follows or leads) while the others serve. Replacing it
     * with {@link #quorumPassword()} lets it back in at its next start. Nodes added later present the ensemble's.
     *
     * @throws IllegalArgumentException if {@code node} belongs to another ensemble
     * @throws IllegalStateException if the ensemble was built without {@code quorumSasl(true)} or has not started yet
     */
    public void replaceQuorumPassword(ZkNode node, String password) {
        requireOwn(node);
        Objects.requireNonNull(password, "password must not be null");
        quorumSasl().replaceQuorumPassword(node.id(), password);
    }

    /**
     * The password every peer presents to the others over quorum SASL, generated per ensemble at its first start (the
     * user name is {@code zkquorum}).
     *
     * @throws IllegalStateException if the ensemble was built without {@code quorumSasl(true)} or has not started yet
     */
    public String quorumPassword() {
        return quorumSasl().quorumPassword();
    }

    private EnsembleSasl quorumSasl() {
        if (!cluster.config().quorumSasl()) {
            throw new IllegalStateException("ensemble " + name() + " was built without quorum SASL; build it with"
                    + " ZkEnsemble.builder().quorumSasl(true)");
        }
        cluster.requireStarted();
        return Objects.requireNonNull(cluster.sasl(), "a started ensemble with quorum SASL has its sections");
    }

    /**
     * The node with server id {@code id} (ids start at 1, or the builder's {@code firstId}: voters first, then
     * observers).
     *
     * @throws IllegalArgumentException if there is no such node
     */
    public ZkNode node(int id) {
        if (cluster.member(id) == null) {
            throw new IllegalArgumentException(
                    "no node with id " + id + " in " + name() + "; ids are " + cluster.nodeIds());
        }
        return handle(id);
    }

    /** Every node, by id. */
    public List<ZkNode> nodes() {
        return cluster.members().stream().map(n -> handle(n.id())).toList();
    }

    /**
     * The voting members (participants), by id: those of the configuration the leader committed, also when a
     * test's own {@code reconfig} committed it.
     */
    public List<ZkNode> voters() {
        return cluster.members().stream()
                .filter(NodeRuntime::isVoter)
                .map(n -> handle(n.id()))
                .toList();
    }

    /** The non-voting members (observers) of the configuration the leader committed, by id. */
    public List<ZkNode> observers() {
        return cluster.members().stream()
                .filter(n -> n.isConfigured() && !n.isVoter())
                .map(n -> handle(n.id()))
                .toList();
    }

    /**
     * The servers of this ensemble that the configuration the leader committed does not name, by id: those of
     * {@link #addOutsideServer()} until a reconfiguration brings them in, and members a test's own
     * {@code reconfig} took out.
     */
    public List<ZkNode> outsideServers() {
        return cluster.members().stream()
                .filter(n -> !n.isConfigured())
                .map(n -> handle(n.id()))
                .toList();
    }

    /** The nodes of the configuration whose role is {@link Role#FOLLOWER} now. */
    public List<ZkNode> followers() {
        return cluster.members().stream()
                .filter(n -> n.role() == Role.FOLLOWER && n.isConfigured())
                .map(n -> handle(n.id()))
                .toList();
    }

    /** The node that leads now, if any. */
    public Optional<ZkNode> findLeader() {
        return cluster.findLeader().map(n -> handle(n.id()));
    }

    /**
     * The node that leads now.
     *
     * @throws IllegalStateException naming every node's state if none leads now (see {@link #awaitLeader()})
     */
    public ZkNode leader() {
        cluster.requireOpen();
        return findLeader()
                .orElseThrow(() -> new IllegalStateException("no node of " + name() + " leads now; nodes: " + describe()
                        + ". Use awaitLeader() to wait for an election"));
    }

    /** A snapshot of every node. */
    public List<NodeStatus> status() {
        return cluster.members().stream().map(NodeRuntime::status).toList();
    }

    /** Every node's state on one line, as printed in every timeout message. */
    public String describe() {
        return cluster.describe();
    }

    /** Whether the ensemble has been started and neither stopped nor closed since. */
    public boolean isRunning() {
        return cluster.phase() == Cluster.Phase.RUNNING;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return cluster.phase() == Cluster.Phase.CLOSED;
    }

    /** The directory that holds every node's directories (the builder's {@code baseDirectory} or a temporary one). */
    public Path baseDirectory() {
        cluster.requireStarted();
        return cluster.baseDir();
    }

    /** This ensemble's name, as used for its threads ({@code zk-harness-N}). */
    public String name() {
        return cluster.name();
    }

    /** The default timeout of waits without an explicit one (the builder's {@code awaitTimeout}, 30 s). */
    public Duration defaultTimeout() {
        return cluster.config().awaitTimeout();
    }

    /**
     * Breaks the network on purpose: partitions, isolated nodes, one-way cuts, frozen nodes, slow links,
     * clients cut off, expired sessions. See {@link ZkNetwork}.
     */
    public ZkNetwork network() {
        return network;
    }

    /**
     * Brings a used ensemble back to a clean state, fast; what makes one ensemble shared by many tests as good as
     * a fresh one per test. In order:
     * <ol>
     *   <li>heals every fault (network and disk) and restarts every stopped or killed node (with its data;
     *       a node whose files the test {@linkplain ZkDisk damaged} and that has not started since is wiped
     *       instead, and the ensemble resyncs it);</li>
     *   <li>puts ZooKeeper's configuration back if the test changed it with a reconfiguration of its own, then
     *       the membership the builder declared (added nodes removed, removed nodes back, roles restored), and
     *       waits until every node serves;</li>
     *   <li>puts the builder's {@linkplain Builder#leader leader placement} back after a {@link #moveLeader}: the
     *       voter it chose leads again (with {@link LeaderPlacement#highestId()} only the preference goes);</li>
     *   <li>deletes every znode outside {@code /zookeeper} whatever its ACL (the harness acts as ZooKeeper's
     *       super user), containers, TTL nodes and the ephemerals of sessions still open included, and every
     *       quota under {@code /zookeeper/quota};</li>
     *   <li>puts back ZooKeeper's trace mask ({@code stmk}) and zeroes every server's statistics (as
     *       {@code srst} and {@code crst} do);</li>
     *   <li>runs the builder's {@linkplain Builder#seed(DataSeed) seeds}.</li>
     * </ol>
     * It does not close sessions (a client kept on purpose across tests keeps its session; its ephemerals are
     * gone) and cannot undo sequential numbering: ZooKeeper numbers sequential children from their parent's
     * child version, which deleting the children does not reset, so a second {@code /lock-} under {@code /}
     * gets a higher number than the first; create a parent per test for stable names.
     *
     * @throws ZkTimeoutException if the nodes do not all serve again within the default timeout
     * @throws ZkHarnessException if znodes remain after repeated passes (a client of the test keeps creating
     *     them), naming them and ZooKeeper's reason; the next reset starts over
     */
    public void reset() {
        synchronized (cluster) {
            parts.reset().reset();
        }
        // outside the ensemble's lock: a seed may call back into the harness from threads of its own
        plantSeeds("reset");
    }

    private void plantSeeds(String after) {
        for (DataSeed seed : seeds) {
            try {
                seed.seed(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZkInterruptedException("interrupted while seeding data after " + after, e);
            } catch (ZkHarnessException e) {
                throw e;
            } catch (Exception e) {
                throw new ZkHarnessException("the data seed failed after " + after + ": " + e, e);
            }
        }
    }

    /**
     * {@code ZkEnsemble[zk-harness-1, running: 1=FOLLOWER(...) ...]}; with a {@linkplain Builder#leader leader
     * placement} other than the default, the voter it chose too: {@code ..., leader placement random(seed 42): node
     * 2]}, so that a failing seed can be replayed.
     */
    @Override
    public String toString() {
        String placement = cluster.config().preferredLeader() == PeerWiring.NO_PREFERRED_LEADER
                ? ""
                : ", leader placement " + cluster.config().leaderPlacement();
        return "ZkEnsemble[" + name() + ", " + cluster.phase().name().toLowerCase(Locale.ROOT) + ": " + describe()
                + placement + "]";
    }

    // ---------------------------------------------------------------------------------------------- waiting

    /** {@link #awaitLeader(Duration)} with the default timeout. */
    public ZkNode awaitLeader() {
        return awaitLeader(defaultTimeout());
    }

    /**
     * Waits until a node leads with a quorum, and returns it: it serves, and a majority of the voters run and
     * follow it. Right after a quorum is lost (say two of three voters killed), the old leader still believes
     * it leads for up to {@code syncLimit} ticks but can commit nothing: this wait does not return it.
     *
     * @throws ZkTimeoutException naming every node's state if that does not happen within {@code timeout}
     */
    public ZkNode awaitLeader(Duration timeout) {
        return handle(cluster.awaitLeader(timeout).id());
    }

    /** {@link #awaitServing(Duration)} with the default timeout. */
    public ZkEnsemble awaitServing() {
        return awaitServing(defaultTimeout());
    }

    /**
     * Waits until a leader with a quorum serves and every running node serves clients, all following that
     * leader.
     *
     * @throws ZkTimeoutException naming every node's state if that does not happen within {@code timeout}
     * @throws ZkInterruptedException at once if the waiting thread is interrupted
     */
    public ZkEnsemble awaitServing(Duration timeout) {
        cluster.awaitServing(timeout);
        return this;
    }

    /**
     * Waits until {@code condition} holds, polling it, with the harness's message on timeout: {@code "Timed out
     * after 10 s waiting for <description>; nodes: 1=LEADER(serving, ...) 2=..."}. For conditions of the test's
     * own (a recipe's state, a znode's value) that should fail like the harness's own waits.
     *
     * @param description what is awaited, phrased to follow "waiting for"
     * @throws ZkTimeoutException naming {@code description} and every node's state
     * @throws ZkInterruptedException at once if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ZkEnsemble await(String description, Duration timeout, BooleanSupplier condition) {
        Objects.requireNonNull(description, "description must not be null");
        Objects.requireNonNull(condition, "condition must not be null");
        Await.requirePositive("timeout", timeout);
        cluster.requireOpen();
        cluster.await(description, timeout, condition);
        return this;
    }

    /** {@link #await(String, Duration, BooleanSupplier)} with the default timeout. */
    public ZkEnsemble await(String description, BooleanSupplier condition) {
        return await(description, defaultTimeout(), condition);
    }

    // ---------------------------------------------------------------------------------------------- membership

    /**
     * Adds an observer at runtime through ZooKeeper's dynamic reconfiguration, so that the ensemble's own
     * configuration ({@code /zookeeper/config}, {@code conf}, what clients tracking the ensemble see) lists it.
     * It gets the lowest free id (an id removed earlier comes back), its own ports, data directory and
     * {@code myid}; it syncs the data and serves reads, forwards writes, and never votes. Returns once it
     * serves and the reconfiguration is committed.
     *
     * @throws IllegalStateException if the ensemble is not running
     */
    public ZkNode addObserver() {
        return handle(parts.membership().add(false).id());
    }

    /**
     * Adds a voter at runtime, as {@link #addObserver()} does an observer. Once committed it counts toward the
     * quorum: 3 voters become 4, and a quorum is then 3 of them.
     */
    public ZkNode addVoter() {
        return handle(parts.membership().add(true).id());
    }

    /**
     * {@link #addOutsideServer(int)} with the lowest free id (from 1, or the builder's {@code firstId}).
     *
     * @throws IllegalStateException if the ensemble is not running
     */
    public ZkNode addOutsideServer() {
        return handle(parts.membership().addOutside(null).id());
    }

    /**
     * Starts server {@code id} outside the configuration, for a test that reconfigures the ensemble with its own
     * {@code ZooKeeperAdmin}: the ensemble owns it (ports, data directory, {@code myid}, faults, status, close)
     * but no reconfiguration names it, so it does not vote and {@link #voters()} and {@link #observers()} leave it
     * out ({@link #outsideServers()} lists it). It syncs the data as a non-voting follower; returns once it
     * serves. Its {@link ZkNode#status()} gives the ports the test's {@code reconfig} needs:
     * {@code server.N=127.0.0.1:<quorumPort>:<electionPort>:participant;127.0.0.1:<clientPort>}.
     *
     * <p>The harness follows the configuration the test commits: a server brought in counts in
     * {@link #voters()} (or {@link #observers()}) and in the quorum {@link #awaitLeader()} waits for; a member
     * taken out moves to {@link #outsideServers()} and no longer has to serve. {@link #reset()} shuts outside
     * servers down, deletes their directories and puts the declared membership back. Reconfiguration is
     * always on in a harness ensemble (ZooKeeper's {@code reconfigEnabled} cannot be turned off), so an outside
     * server can always be brought in while a quorum serves.
     *
     * @throws IllegalArgumentException if {@code id} is not 1 to 255, or a server of this ensemble has it already
     * @throws IllegalStateException if the ensemble is not running
     */
    public ZkNode addOutsideServer(int id) {
        return handle(parts.membership().addOutside(id).id());
    }

    /**
     * Takes {@code node} out of the ensemble through ZooKeeper's dynamic reconfiguration, then shuts it down and
     * deletes its directories. Removing the leader makes the rest elect a new one. Returns once the change is
     * committed and the remaining nodes serve. The handle stays valid and reports {@link NodeState#REMOVED}.
     *
     * @throws IllegalArgumentException if the node belongs to another ensemble or is no longer a member
     * @throws IllegalStateException if the ensemble is not running, or the change would leave fewer than 2
     *     voters (ZooKeeper's rule) or no running quorum
     */
    public void remove(ZkNode node) {
        requireOwn(node);
        parts.membership().remove(node.runtime());
    }

    /**
     * Turns a voter into an observer through a reconfiguration; returns once it serves as one.
     *
     * @throws IllegalStateException if it is an observer already, or the change would leave no quorum
     */
    public ZkNode makeObserver(ZkNode node) {
        requireOwn(node);
        parts.membership().changeRole(node.runtime(), false);
        return node;
    }

    /**
     * Turns an observer into a voter through a reconfiguration; returns once it serves as one.
     *
     * @throws IllegalStateException if it is a voter already
     */
    public ZkNode makeVoter(ZkNode node) {
        requireOwn(node);
        parts.membership().changeRole(node.runtime(), true);
        return node;
    }

    // ---------------------------------------------------------------------------------------------- leadership

    /** {@link #moveLeader(ZkNode, Duration)} with the default timeout. */
    public ZkNode moveLeader(ZkNode node) {
        return moveLeader(node, defaultTimeout());
    }

    /**
     * Makes {@code node} the leader, through ZooKeeper's own election, and returns it once it leads and every running
     * node serves under it. It waits until {@code node} follows the leader with all its data, then restarts the leader
     * (a real stop and start, recorded like any by {@link #recordFaults}; the others elect first when they are a
     * quorum without it), and every server's election prefers
     * {@code node} among the voters that are as up to date as it; should another voter win all the same (the
     * chosen one missed a write under way), that one is restarted too, a few times at most. Clients see a leader
     * change: every server drops its clients when the leader goes, so a client opened before the move keeps its
     * session but may still be reconnecting when the move returns, and a call on it may fail with a connection loss
     * (Curator retries such calls; a client opened after the move connects to a serving node).
     *
     * <p>From then on the elections prefer {@code node} among equally up-to-date voters, until the next move or
     * {@link #reset()}, which puts the builder's {@linkplain Builder#leader placement} back; a move that fails leaves
     * the preference as it was. A node that leads already is left alone.
     *
     * @throws IllegalArgumentException if {@code node} belongs to another ensemble, is an observer or is outside the
     *     configuration: only a voter can lead
     * @throws IllegalStateException if the ensemble does not run, {@code node} was removed or does not run, or fewer
     *     than a quorum of voters run
     * @throws ZkTimeoutException if {@code node} does not lead within {@code timeout}, with why: it does not follow
     *     the leader with all its data (cut off from a quorum by a partition, or lagging), or it lost every election;
     *     the ensemble serves under some leader all the same
     */
    public ZkNode moveLeader(ZkNode node, Duration timeout) {
        requireOwn(node);
        Await.requirePositive("timeout", timeout);
        parts.leadership().move(node.runtime(), timeout);
        return node;
    }

    /**
     * The voter the elections prefer now among equally up-to-date candidates: the one the builder's
     * {@linkplain Builder#leader placement} chose, or the last {@link #moveLeader} target since. Empty with
     * {@link LeaderPlacement#highestId()} and no move since (ZooKeeper's own order: the highest id).
     */
    public Optional<ZkNode> preferredLeader() {
        long id = cluster.preferredLeader();
        return id == PeerWiring.NO_PREFERRED_LEADER ? Optional.empty() : Optional.of(handle((int) id));
    }

    // ---------------------------------------------------------------------------------------------- sessions

    /**
     * The node whose server holds the connection of session {@code sessionId} now, if any: where a client is
     * connected ({@code client.getSessionId()}), e.g. to break that very server. Empty while the client is
     * between servers.
     */
    public Optional<ZkNode> findConnectedNode(long sessionId) {
        cluster.requireOpen();
        return cluster.memberHolding(sessionId).map(n -> handle(n.id()));
    }

    /**
     * Expires a client session for real, on the leader, as ZooKeeper does when a client falls silent: its
     * ephemerals are deleted, watchers fire, and the client is told {@code Expired} when it next talks to a
     * server. (ZooKeeper's client-side {@code injectSessionExpiration()} only fools the client.)
     *
     * @throws IllegalArgumentException if no running server knows the session
     * @throws IllegalStateException if no node leads now
     */
    public void expireSession(long sessionId) {
        cluster.network().expireSession(sessionId);
    }

    /**
     * Drops the server-side connection of a session: the client reconnects, usually to another server, and
     * keeps its session.
     *
     * @throws IllegalArgumentException if no running server holds a connection of that session
     */
    public void dropClientConnection(long sessionId) {
        cluster.network().dropClientConnection(sessionId);
    }

    // ---------------------------------------------------------------------------------------------- recording

    /**
     * Records every fault made on this ensemble from now on in {@code history}, whoever makes it (a test, a chaos run,
     * {@link #reset()}): network and disk faults (from the call to their heal), kills and stops (until the node starts
     * again), restarts, wipes, files damaged at rest, expired sessions, dropped connections and membership changes.
     * Each fault is a {@link History#FAULT_START} event with source {@code source} and the fault's description, a
     * {@link History#FAULT_END} when its action is over, and a {@link History#FAULT_EFFECT_END} when the harness sees
     * its effect end: every running node serves again (after a heal or a membership change), the restarted or wiped
     * node serves, the expired session's connection is gone from every server, the dropped session is connected
     * again. An effect not seen to end within the ensemble's await timeout gets no effect end. A history is attached
     * once: attaching it again while it is attached records nothing twice and keeps the first source.
     *
     * <p>It also records the ZooKeeper version each node runs ({@link History#VERSION}, source {@code node-N}): every
     * node's when it is attached, and a node's again when it is {@linkplain ZkNode#upgrade upgraded} or added while it
     * records. The timeline names them on the nodes' lanes.
     *
     * @param history where to record
     * @param source the events' source, e.g. {@code "test"}
     * @return the recording; closing it stops it (faults already recorded still get their ends)
     * @throws NullPointerException if history or source is null
     * @throws IllegalArgumentException if source is blank
     */
    public FaultRecording recordFaults(History history, String source) {
        Objects.requireNonNull(history, "history must not be null");
        Objects.requireNonNull(source, "source must not be null");
        if (source.isBlank()) {
            throw new IllegalArgumentException("source must not be blank, got \"" + source + "\"");
        }
        Map<Integer, String> versions = new TreeMap<>();
        for (ZkNode node : nodes()) {
            versions.put(node.id(), node.runtime().version());
        }
        Runnable stop = cluster.faultRecorder().record(history, source, versions);
        return stop::run;
    }

    /**
     * Faults being recorded in a history ({@link #recordFaults}); close it to stop. Closing twice is harmless.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface FaultRecording extends Closeable {
        /** Stops recording; faults already recorded still get their ends. */
        @Override
        void close();
    }

    // ---------------------------------------------------------------------------------------------- for ZkNode

    private void requireOwn(ZkNode node) {
        Objects.requireNonNull(node, "node must not be null");
        if (node.ensemble() != this) {
            throw new IllegalArgumentException(
                    "node " + node.id() + " belongs to " + node.ensemble().name() + ", not to " + name());
        }
    }

    /** The one handle for server id {@code id}; it stays valid when the id leaves and comes back. */
    private ZkNode handle(int id) {
        return handles.computeIfAbsent(id, i -> new ZkNode(this, i));
    }

    EnsembleParts parts() {
        return parts;
    }

    /** Threads of this ensemble that are alive now: peers, links and everything ZooKeeper started for them. */
    List<Thread> liveThreads() {
        return cluster.liveThreads();
    }

    /** How many connections the peer links forward now (for the contract test that nothing bypasses them). */
    int linkedPeerConnections() {
        return cluster.linkedPeerConnections();
    }

    // ---------------------------------------------------------------------------------------------- builder

    /**
     * Configures an ensemble. Each setter validates its argument at once and names what is allowed.
     * {@link #build()} returns an ensemble that is not started; {@link #start()} builds and starts it.
     */
    public static final class Builder {

        private final EnsembleSettings settings = new EnsembleSettings();
        private final List<DataSeed> seeds = new ArrayList<>();

        private Builder() {}

        /**
         * How many voting members (participants) to run; default 3. A quorum is a strict majority of them, so
         * {@code 2F+1} voters tolerate {@code F} failures; an even count tolerates no more than one voter fewer.
         *
         * @throws IllegalArgumentException unless {@code 1 <= count <= 15}
         */
        public Builder voters(int count) {
            settings.voters(count);
            return this;
        }

        /**
         * How many observers to run besides the voters; default 0. Observers serve reads, forward writes and
         * never vote. Their ids follow the voters' ids.
         *
         * @throws IllegalArgumentException unless {@code 0 <= count <= 15}
         */
        public Builder observers(int count) {
            settings.observers(count);
            return this;
        }

        /**
         * ZooKeeper's basic time unit; default 100 ms (ZooKeeper's own default is 2 s, far too slow for tests).
         * Session timeouts, and how long a silent peer is tolerated ({@code syncLimit} ticks), derive from it.
         *
         * @throws IllegalArgumentException unless between 1 ms and 1 min
         */
        public Builder tickTime(Duration tickTime) {
            settings.tickTime(tickTime);
            return this;
        }

        /**
         * Ticks a follower may take to connect to and sync with a new leader; default 10.
         *
         * @throws IllegalArgumentException unless {@code ticks >= 1}
         */
        public Builder initLimit(int ticks) {
            settings.initLimit(ticks);
            return this;
        }

        /**
         * Ticks a follower may fall silent before the leader drops it (and it drops the leader); default 5.
         *
         * @throws IllegalArgumentException unless {@code ticks >= 1}
         */
        public Builder syncLimit(int ticks) {
            settings.syncLimit(ticks);
            return this;
        }

        /**
         * The session timeouts a client may negotiate. Default: at least 2 ticks (as in ZooKeeper, so tests can
         * ask for short sessions) and at most 60 s (ZooKeeper's 20 ticks would cap every client at 2 s with the
         * default 100 ms tick, and a failover could expire sessions that asked for more).
         *
         * @throws IllegalArgumentException unless {@code 0 < min <= max}
         */
        public Builder sessionTimeouts(Duration min, Duration max) {
            settings.sessionTimeouts(min, max);
            return this;
        }

        /**
         * Where to create the ensemble's directory; default: a fresh private directory in
         * {@code java.io.tmpdir}. The ensemble creates its own subdirectory and deletes it on close.
         */
        public Builder baseDirectory(Path directory) {
            settings.baseDirectory(directory);
            return this;
        }

        /**
         * Whether each node keeps its transaction log in its own {@code dataLogDir}, apart from its snapshots
         * in {@code dataDir}, as production guides advise; default false.
         */
        public Builder separateDataLogDir(boolean separate) {
            settings.separateDataLogDir(separate);
            return this;
        }

        /**
         * How long an operation that starts peers may take before it fails: {@link ZkEnsemble#start()},
         * {@link ZkEnsemble#reset()} and the membership changes. Default 30 s.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder startTimeout(Duration timeout) {
            settings.startTimeout(timeout);
            return this;
        }

        /**
         * Whether a thread of ZooKeeper's that dies of an uncaught exception fails the ensemble's next wait at
         * once ({@link ZkThreadDeathException}), instead of only being recorded ({@link ZkNode#threadDeaths()},
         * every node's status and timeout message). Some such deaths leave a node unable to elect or serve until
         * it restarts; default false, because ZooKeeper itself carries on after most of them.
         */
        public Builder failOnThreadDeath(boolean fail) {
            settings.failOnThreadDeath(fail);
            return this;
        }

        /**
         * Data every test should find: {@code seed} runs once the ensemble first serves and after every
         * {@link ZkEnsemble#reset()} (the JUnit extension resets before each test that follows a change). Seeds
         * run in the order added.
         */
        public Builder seed(DataSeed seed) {
            seeds.add(Objects.requireNonNull(seed, "seed must not be null"));
            return this;
        }

        /**
         * The timeout of every wait called without one ({@code awaitLeader()}, {@code node.awaitServing()},
         * {@code await(description, condition)}, ...) and of connecting {@link ZkEnsemble#newZooKeeper()}.
         * Default 30 s.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder awaitTimeout(Duration timeout) {
            settings.awaitTimeout(timeout);
            return this;
        }

        /**
         * A {@code zoo.cfg} setting for every server. Supported keys: {@code maxClientCnxns},
         * {@code clientPortListenBacklog}, {@code localSessionsEnabled}, {@code localSessionsUpgradingEnabled},
         * {@code syncEnabled}, {@code connectToLearnerMasterLimit}, {@code quorum.cnxn.threads.size},
         * {@code multiAddress.enabled}, {@code multiAddress.reachabilityCheckEnabled},
         * {@code multiAddress.reachabilityCheckTimeoutMs}, {@code snapshotSizeFactor} (negative: a leader never syncs a
         * lagging learner from its own transaction log; see ZOOKEEPER-2846 in docs/guide/chaos-histories-and-checkers.md). Unset keys take ZooKeeper's own defaults, as
         * {@code QuorumPeerMain} would give them (see the table of what the harness changes in docs/guide/what-the-harness-does-to-your-jvm.md).
         *
         * @throws IllegalArgumentException for an unknown key, a key ZooKeeper only reads JVM-wide, or a bad value
         */
        public Builder serverSetting(String key, String value) {
            settings.serverSetting(key, value);
            return this;
        }

        /** A {@code zoo.cfg} setting for server {@code id} only; see {@link #serverSetting(String, String)}. */
        public Builder serverSetting(int id, String key, String value) {
            settings.serverSetting(id, key, value);
            return this;
        }

        /**
         * The four-letter words servers answer ({@code "*"} = all, the default). A command outside the list gets
         * ZooKeeper's answer "... is not executed because it is not in the whitelist." ZooKeeper keeps the list
         * JVM-wide: ensembles that run at the same time must ask for the same list.
         *
         * @throws IllegalArgumentException for an empty list or a word that is not four lowercase letters
         */
        public Builder fourLetterWords(String... words) {
            settings.fourLetterWords(words);
            return this;
        }

        /**
         * Whether peer and client connections pass through the harness's links (default true). Links are what
         * faults act on and what makes {@link ZkNode#kill()} reset connections; without them, kill is a
         * shutdown and the connect string points at the servers' own ports.
         */
        public Builder links(boolean enabled) {
            settings.links(enabled);
            return this;
        }

        /**
         * Read-only mode as ZooKeeper means it; default off. A server cut off from its quorum then serves reads, after
         * about 2 s of looking for a leader, to clients that allow it ({@code canBeReadOnly}, Curator's
         * {@code canBeReadOnly(true)}), and answers their writes with {@code NotReadOnlyException}; its
         * {@link ZkNode#role()} is {@link Role#READ_ONLY}. Every server then gets what ZooKeeper's read-only server
         * needs: local sessions ({@code localSessionsEnabled}) and their upgrade to global sessions
         * ({@code localSessionsUpgradingEnabled}), so a session opened there becomes a global one after the heal once
         * it creates an ephemeral node. Until then a session is local to its server, as ZooKeeper's local sessions are:
         * a client that moves to another server finds it expired. ZooKeeper's own switch, the system property {@code readonlymode.enabled=true}
         * set by a test before {@link #build()}, has the same effect. That property is JVM-wide: while an ensemble in
         * read-only mode runs, the harness sets it (see docs/guide/what-the-harness-does-to-your-jvm.md).
         *
         * @throws IllegalArgumentException from {@link #build()} if {@code localSessionsEnabled} or
         *     {@code localSessionsUpgradingEnabled} is set to false: the read-only server could not work
         */
        public Builder readOnlyMode(boolean enabled) {
            settings.readOnlyMode(enabled);
            return this;
        }

        /**
         * The id of the first server; default 1. The builder's voters take the ids from it on, then its observers:
         * {@code firstId(4).voters(3)} is an ensemble of servers 4, 5 and 6, as after {@code TestingCluster}'s
         * specs that start elsewhere than 1. Nodes added later take the lowest free id from it on.
         *
         * @throws IllegalArgumentException unless {@code 1 <= id <= 225}
         */
        public Builder firstId(int id) {
            settings.firstId(id);
            return this;
        }

        /**
         * Which voter leads once the ensemble has started, and again after each {@link ZkEnsemble#reset()}:
         * {@link LeaderPlacement#highestId()} (ZooKeeper's own outcome, the default), {@link LeaderPlacement#node(int)}
         * or {@link LeaderPlacement#random(long)}. {@link ZkEnsemble#start()} returns once the chosen voter leads;
         * the elections that follow a failure prefer it among equally up-to-date voters. See
         * {@link ZkEnsemble#moveLeader(ZkNode)} to move the leader at runtime.
         *
         * @throws IllegalArgumentException from {@link #build()} if the placement names a server that is not one of
         *     the builder's voters (an observer never leads)
         */
        public Builder leader(LeaderPlacement placement) {
            Objects.requireNonNull(placement, "placement must not be null").applyTo(settings);
            return this;
        }

        /**
         * Where the servers' ZooKeeper classes load: {@link ZkRuntime#SHARED} (the default: every node runs the
         * class path's ZooKeeper, loaded once) or {@link ZkRuntime#ISOLATED} (each node's run in a class loader of its
         * own). Without this call, the system property {@code zkharness.runtime} ({@code shared} or
         * {@code isolated}) chooses. A node on a version other than the class path's runs isolated either way.
         *
         * @throws NullPointerException if {@code runtime} is null
         */
        public Builder runtime(ZkRuntime runtime) {
            settings.runtime(runtime);
            return this;
        }

        /**
         * The ZooKeeper version of every server (default: {@link ZkVersion#classPath()}).
         *
         * @throws NullPointerException if {@code version} is null
         * @throws IllegalStateException from {@link #build()} if its jars are missing: the message names the artifact
         *     and the command that fetches it
         */
        public Builder version(ZkVersion version) {
            Objects.requireNonNull(version, "version must not be null");
            settings.version(version.internal());
            return this;
        }

        /**
         * The ZooKeeper version of server {@code id}, for a mixed-version ensemble; see {@link #version(ZkVersion)}.
         *
         * @throws IllegalArgumentException if {@code id < 1}, or from {@link #build()} if the ensemble has no server
         *     {@code id}
         */
        public Builder version(int id, ZkVersion version) {
            Objects.requireNonNull(version, "version must not be null");
            settings.version(id, version.internal());
            return this;
        }

        // ------------------------------------------------------------------------- security (issue #26)

        /**
         * Whether the ensemble talks TLS; default false. When the ensemble first starts, the harness generates CAs and
         * certificates (EC P-256, issued for 127.0.0.1 and localhost, valid from an hour ago for a day) into the
         * ensemble's directory: the client ports then take TLS clients only, and every peer talks TLS to the others,
         * with a key store of its own and ZooKeeper's hostname verification on. The clients the harness opens are
         * configured for it; {@link ZkEnsemble#tls()} has the stores and a ready client configuration for yours.
         * ZooKeeper reads the client ports' certificate JVM-wide: every TLS ensemble of the JVM presents one server
         * certificate (see the guide's "What the harness does to your JVM").
         */
        public Builder tls(boolean enabled) {
            settings.tls(enabled);
            return this;
        }

        /**
         * Whether a TLS ensemble's client ports also take plain clients on the same port, as ZooKeeper's
         * {@code client.portUnification} does; default false.
         *
         * @throws IllegalArgumentException from {@link #build()} without {@code tls(true)}, or with
         *     {@code mutualTls(true)}
         */
        public Builder plainClientPort(boolean alsoPlain) {
            settings.plainClientPort(alsoPlain);
            return this;
        }

        /**
         * Whether a TLS ensemble's client ports require a client certificate signed by the CA they trust (mutual
         * TLS); default false. {@link ZkTls#keyStore()} holds one, and {@link ZkTls#clientConfig()} presents it.
         * ZooKeeper reads this JVM-wide: TLS ensembles that run at the same time must agree.
         *
         * @throws IllegalArgumentException from {@link #build()} without {@code tls(true)}
         * @throws IllegalStateException from {@link ZkEnsemble#start()} if a running TLS ensemble asks otherwise
         */
        public Builder mutualTls(boolean required) {
            settings.mutualTls(required);
            return this;
        }

        /**
         * A SASL (DIGEST-MD5) user the client ports accept, with its password; call once per user. A client logs in
         * with {@link ZkEnsemble#saslClientConfig}. The harness serves the JAAS sections itself, per ensemble (see the
         * guide's "What the harness does to your JVM"); {@link ZkEnsemble#reset()} clears nodes whatever their ACLs.
         *
         * @throws IllegalArgumentException for a name that is not 1 to 64 letters, digits, '.', '_' or '-', or an
         *     empty password
         */
        public Builder saslUser(String user, String password) {
            settings.saslUser(user, password);
            return this;
        }

        /**
         * Whether the peers authenticate each other with SASL (DIGEST-MD5) on every election and learner connection,
         * required both ways (ZooKeeper's {@code quorum.auth.enableSasl}, {@code quorum.auth.serverRequireSasl} and
         * {@code quorum.auth.learnerRequireSasl}); default false. Every peer presents the one quorum identity the
         * harness generates per ensemble, from a JAAS section of its own, so {@link ZkEnsemble#replaceQuorumPassword}
         * can give one node a wrong password. Independent of {@link #saslUser} (clients) and of {@link #tls} (both
         * may be on). While such an ensemble runs, the harness sets {@code zookeeper.fips-mode=false} JVM-wide (see
         * the guide's "What the harness does to your JVM").
         *
         * @throws ZkStartException from {@link ZkEnsemble#start()} if the system property {@code zookeeper.fips-mode}
         *     is set to anything but false (ZooKeeper 3.9 then refuses DIGEST-MD5)
         */
        public Builder quorumSasl(boolean enabled) {
            settings.quorumSasl(enabled);
            return this;
        }

        /** Tests of the harness itself replace the port allocator to provoke conflicts. */
        Builder ports(Ports allocator) {
            settings.ports(allocator);
            return this;
        }

        /**
         * The ensemble, not started yet.
         *
         * @throws IllegalArgumentException if a per-server setting names an id the ensemble does not have
         * @throws IllegalStateException if the ZooKeeper on the class path is not a supported one (3.8.x, 3.9.x);
         *     the message names the version found and how to pin a supported one
         */
        public ZkEnsemble build() {
            ZooKeeperVersion.requireSupported();
            return new ZkEnsemble(settings.toConfig(), seeds);
        }

        /** Builds and starts the ensemble: {@code build().start()}. */
        public ZkEnsemble start() {
            return build().start();
        }
    }
}
