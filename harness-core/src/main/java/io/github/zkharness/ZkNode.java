package io.github.zkharness;

import io.github.zkharness.internal.NodeThreads;
import io.github.zkharness.internal.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One server of a {@link ZkEnsemble}: a real {@code QuorumPeer} with a fixed id ({@code myid}), fixed quorum
 * and election ports, its own data directory, and a client address that stays the same across restarts.
 *
 * <p>Control methods return this node, so that waits chain: {@code node.restart().awaitServing()}.
 */
public final class ZkNode {

    private static final Duration FOUR_LETTER_WORD_TIMEOUT = Duration.ofSeconds(5);

    private final ZkEnsemble ensemble;
    private final int id;
    private volatile boolean voter;
    final NodeThreads threads;

    private Path dataDir;
    private Path dataLogDir;
    volatile int quorumPort;
    volatile int electionPort;
    volatile int realClientPort;
    volatile InetSocketAddress publicClientAddress;
    volatile PeerProcess process;
    volatile String portConflict;
    private volatile NodeState state = NodeState.STOPPED;
    private volatile long lastZxid;
    private volatile long lastEpoch;

    ZkNode(ZkEnsemble ensemble, int id, boolean voter, NodeThreads threads) {
        this.ensemble = ensemble;
        this.id = id;
        this.voter = voter;
        this.threads = threads;
    }

    // ---------------------------------------------------------------------------------------------- identity

    /** The server id, as written to {@code myid}. */
    public int id() {
        return id;
    }

    /** Whether this node votes (a participant). */
    public boolean isVoter() {
        return voter;
    }

    /** Whether this node is an observer: it serves reads, forwards writes and never votes. */
    public boolean isObserver() {
        return !voter;
    }

    /** Where its clients connect; the same across restarts. */
    public InetSocketAddress clientAddress() {
        ensemble.requireStarted();
        return publicClientAddress;
    }

    /** A connect string for this node alone: {@code 127.0.0.1:port}. */
    public String connectString() {
        InetSocketAddress address = clientAddress();
        return address.getHostString() + ":" + address.getPort();
    }

    /** Its data directory: {@code myid}, snapshots, and the transaction log unless it has its own directory. */
    public Path dataDir() {
        ensemble.requireStarted();
        return dataDir;
    }

    /** Where it writes its transaction log: {@link #dataDir()} unless the ensemble separates them. */
    public Path dataLogDir() {
        ensemble.requireStarted();
        return dataLogDir;
    }

    /** Its quorum port (followers connect to the leader's) as listed in every peer's view. */
    public int quorumPort() {
        ensemble.requireStarted();
        return quorumPort;
    }

    /** Its leader-election port as listed in every peer's view. */
    public int electionPort() {
        ensemble.requireStarted();
        return electionPort;
    }

    // ---------------------------------------------------------------------------------------------- state

    /** Its role now, as ZooKeeper reports it. */
    public Role role() {
        PeerProcess p = process;
        return state != NodeState.RUNNING || p == null ? Role.STOPPED : p.role();
    }

    /** Whether its peer runs, or how it went down. */
    public NodeState state() {
        return state;
    }

    /** Whether it accepts client requests now. */
    public boolean isServing() {
        PeerProcess p = process;
        return state == NodeState.RUNNING && p != null && p.serving();
    }

    /** The last transaction it applied; when not running, the last one it had. */
    public long lastZxid() {
        PeerProcess p = process;
        return state == NodeState.RUNNING && p != null ? p.lastZxid() : lastZxid;
    }

    /** Its current epoch; when not running, the last one it had. */
    public long epoch() {
        PeerProcess p = process;
        return state == NodeState.RUNNING && p != null ? p.epoch() : lastEpoch;
    }

    /** A snapshot of this node. */
    public NodeStatus status() {
        return new NodeStatus(id, role(), state, isServing(), voter, publicClientAddress, dataDir, lastZxid(), epoch(),
            threadDeathsOfThisRun());
    }

    /**
     * Every thread of this node that died of an exception nobody caught, oldest first, since the ensemble was
     * built (across restarts; the first {@value NodeThreads#KEPT} are kept). ZooKeeper itself only logs such a
     * death, and some leave the node unable to elect or serve until it restarts; {@link #status()} and every
     * timeout message name those of the node's current (or last) run.
     */
    public List<ThreadFailure> threadDeaths() {
        return threads.failures();
    }

    /**
     * Sends a four-letter word ({@code ruok}, {@code srvr}, {@code stat}, {@code mntr}, {@code conf},
     * {@code cons}, {@code dump}, {@code wchs}, ...) straight to the server and returns its answer. A word
     * outside the ensemble's whitelist returns ZooKeeper's refusal text. Faults on the client link do not
     * apply: this is an inspection tool.
     *
     * @throws IllegalArgumentException unless {@code command} is four lowercase letters
     * @throws IllegalStateException if the node is not running
     */
    public String fourLetterWord(String command) {
        Objects.requireNonNull(command, "command must not be null");
        if (!command.matches("[a-z]{4}")) {
            throw new IllegalArgumentException("a four-letter word is four lowercase letters, got \"" + command + "\"");
        }
        PeerProcess p = requireRunning("answer four-letter words");
        try {
            return p.fourLetterWord(command, FOUR_LETTER_WORD_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException("four-letter word " + command + " to node " + id + " failed", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- control

    /**
     * Shuts the server down gracefully: it flushes what it has queued and closes its connections in order.
     *
     * @throws IllegalStateException if it is not running
     */
    public ZkNode stop() {
        ensemble.stopNode(this, NodeState.STOPPED);
        return this;
    }

    /**
     * Crashes the server: first every byte on its connections stops moving, then the peer shuts down, then
     * every connection it had (to peers and clients) is reset, as a dead process's kernel would. Its data stays
     * on disk for {@link #restart()}. Without links ({@code links(false)}), kill is a plain shutdown.
     *
     * @throws IllegalStateException if it is not running
     */
    public ZkNode kill() {
        ensemble.stopNode(this, NodeState.KILLED);
        return this;
    }

    /**
     * Takes this server out of the ensemble through ZooKeeper's dynamic reconfiguration; see
     * {@link ZkEnsemble#remove(int)}.
     */
    public void remove() {
        ensemble.removeNode(this);
    }

    /**
     * Starts a stopped or killed server again: same id, ports, client address and data. Returns once its ports
     * are bound; it then rejoins the ensemble (wait with {@link #awaitServing()}).
     *
     * @throws IllegalStateException if it is running
     * @throws ZkStartException if one of its ports was taken meanwhile
     */
    public ZkNode restart() {
        ensemble.restartNode(this);
        return this;
    }

    /**
     * Loses the server's disk: kills it if it runs, deletes its data and transaction log, writes a fresh
     * {@code myid}, and starts it empty, so that the ensemble resyncs it. Returns once its ports are bound.
     */
    public ZkNode wipe() {
        ensemble.wipeNode(this);
        return this;
    }

    // ---------------------------------------------------------------------------------------------- waiting

    /** {@link #awaitServing(Duration)} with the ensemble's default timeout. */
    public ZkNode awaitServing() {
        return awaitServing(ensemble.defaultTimeout());
    }

    /**
     * Waits until this node serves clients.
     *
     * @throws ZkTimeoutException naming every node's state if it does not within {@code timeout}
     */
    public ZkNode awaitServing(Duration timeout) {
        ensemble.requireOpen();
        ensemble.await("node " + id + " serving", timeout, this::isServing);
        return this;
    }

    /**
     * Waits until this node has {@code role} (e.g. {@link Role#LOOKING} after its quorum is gone).
     *
     * @throws ZkTimeoutException naming every node's state if it does not within {@code timeout}
     */
    public ZkNode awaitRole(Role role, Duration timeout) {
        Objects.requireNonNull(role, "role must not be null");
        ensemble.requireOpen();
        ensemble.await("node " + id + " in role " + role, timeout, () -> role() == role);
        return this;
    }

    @Override
    public String toString() {
        return "ZkNode[" + status() + "]";
    }

    // ---------------------------------------------------------------------------------------------- internals

    /** The deaths since this node's peer last started (all of them before it first started). */
    private List<ThreadFailure> threadDeathsOfThisRun() {
        PeerProcess p = process;
        Instant since = p == null ? null : p.startedAt();
        List<ThreadFailure> all = threads.failures();
        return since == null ? all : all.stream().filter(f -> !f.time().isBefore(since)).toList();
    }

    private PeerProcess requireRunning(String what) {
        ensemble.requireOpen();
        PeerProcess p = process;
        if (state != NodeState.RUNNING || p == null) {
            throw new IllegalStateException("node " + id + " is " + state + " and cannot " + what
                + "; restart() it first");
        }
        return p;
    }

    Path dataPath() {
        return dataDir;
    }

    Path logPath() {
        return dataLogDir;
    }

    void assignPorts(int quorum, int election) {
        this.quorumPort = quorum;
        this.electionPort = election;
        this.portConflict = null;
    }

    void placeIn(Path dir, boolean separateLog) {
        this.dataDir = dir.resolve("data");
        this.dataLogDir = separateLog ? dir.resolve("datalog") : dataDir;
    }

    void createDirectories() throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(dataLogDir);
        Files.writeString(dataDir.resolve("myid"), id + "\n", StandardCharsets.US_ASCII);
    }

    void started() {
        state = NodeState.RUNNING;
    }

    void remember(PeerProcess p) {
        if (p != null && p.running()) {
            lastZxid = p.lastZxid();
            lastEpoch = p.epoch();
        }
    }

    /** Marks how it went down; {@link #remember} kept its last zxid and epoch while it still ran. */
    void stopped(NodeState how) {
        state = how;
    }

    void voter(boolean isVoter) {
        this.voter = isVoter;
    }

    void removed() {
        state = NodeState.REMOVED;
        process = null;
    }

    void forgetData() {
        lastZxid = 0;
        lastEpoch = 0;
    }
}
