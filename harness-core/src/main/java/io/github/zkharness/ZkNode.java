package io.github.zkharness;

import io.github.zkharness.internal.Facades;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.ensemble.ClientTargets;
import io.github.zkharness.internal.ensemble.NodeRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.zookeeper.ZooKeeper;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One server of a {@link ZkEnsemble}: a real {@code QuorumPeer} with a fixed id ({@code myid}), fixed quorum
 * and election ports, its own data directory, and a client address that stays the same across restarts.
 *
 * <p>A {@code ZkNode} stands for a server id of its ensemble, not for one run of it: the same handle follows
 * the node through stops, kills, restarts and wipes, and, when the id leaves the ensemble and comes back (a
 * {@link ZkEnsemble#reset()} re-adding a removed node, or {@link ZkEnsemble#addVoter()} reusing a free id), the
 * member that has the id now. While the id is not a member, the handle reports {@link NodeState#REMOVED}.
 *
 * <p>Control methods return this node, so that waits chain: {@code node.restart().awaitServing()}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ZkNode {

    private static final Duration FOUR_LETTER_WORD_TIMEOUT = Duration.ofSeconds(5);

    private final ZkEnsemble ensemble;
    private final int id;
    /** The member this handle last saw: what it reports while its id is not a member. */
    private volatile @Nullable NodeRuntime last;

    ZkNode(ZkEnsemble ensemble, int id) {
        this.ensemble = ensemble;
        this.id = id;
    }

    // ---------------------------------------------------------------------------------------------- identity

    /** The server id, as written to {@code myid}. */
    public int id() {
        return id;
    }

    /** Whether this node votes (a participant). */
    public boolean isVoter() {
        return runtime().isVoter();
    }

    /** A connect string for this node alone: {@code 127.0.0.1:port}. */
    public String connectString() {
        requireStarted();
        InetSocketAddress address = runtime().clientAddress();
        return address.getHostString() + ":" + address.getPort();
    }

    // ---------------------------------------------------------------------------------------------- state

    /** Its role now, as ZooKeeper reports it. */
    public Role role() {
        return runtime().role();
    }

    /** Whether its peer runs, or how it went down. */
    public NodeState state() {
        return member() == null ? NodeState.REMOVED : runtime().state();
    }

    /** Whether it accepts client requests now. */
    public boolean isServing() {
        return runtime().isServing();
    }

    /**
     * A snapshot of this node: its role and state, where clients connect, its directories and ports, its last zxid
     * and epoch, and what went wrong in its current (or last) run.
     */
    public NodeStatus status() {
        return runtime().status();
    }

    /**
     * Every thread of this node that died of an exception nobody caught, oldest first, since the ensemble was
     * built (across restarts; the first {@value io.github.zkharness.internal.NodeThreads#KEPT} are kept).
     * ZooKeeper itself only logs such a death, and some leave the node unable to elect or serve until it
     * restarts; {@link #status()} and every timeout message name those of the node's current (or last) run.
     */
    public List<ThreadFailure> threadDeaths() {
        return runtime().threadDeaths();
    }

    /**
     * Sends a four-letter word ({@code ruok}, {@code srvr}, {@code stat}, {@code mntr}, {@code conf},
     * {@code cons}, {@code dump}, {@code wchs}, ...) straight to the server and returns its answer. A word
     * outside the ensemble's whitelist returns ZooKeeper's refusal text. Faults on the client link do not
     * apply: this is an inspection tool.
     *
     * <p>What {@code srvr}, {@code stat}, {@code cons} and {@code wchs} report is this server's own, and so are the
     * state lines of {@code mntr} ({@code zk_server_state}, {@code zk_synced_followers}, {@code zk_znode_count}).
     * Its counters and latency metrics ({@code zk_proposal_count}, {@code zk_packets_received}, the
     * {@code *_latency} and {@code *_count} lines of ZooKeeper's {@code ServerMetrics}) depend on the runtime.
     * ZooKeeper keeps them in statics: on the {@link ZkRuntime#SHARED shared runtime} they are sums over every server
     * of every shared ensemble in the JVM (and {@code ZkEnsemble.reset()} does not zero them); on the
     * {@link ZkRuntime#ISOLATED isolated runtime} each run of each node has its own, counted from its start.
     *
     * @throws IllegalArgumentException unless {@code command} is four lowercase letters
     * @throws IllegalStateException if the node is not running
     * @throws ZkHarnessException if the server does not answer within 5 s
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
            throw new ZkHarnessException("four-letter word " + command + " to node " + id + " failed: " + e, e);
        }
    }

    /**
     * This node's disks: slow or full transaction log and snapshot disks, and damage at rest. See {@link ZkDisk}.
     *
     * @throws IllegalArgumentException if the id is no longer a member
     */
    public ZkDisk disk() {
        return Facades.create(ZkDisk.class, ensemble.parts().cluster().disks().node(id));
    }

    // ---------------------------------------------------------------------------------------------- control

    /**
     * Shuts the server down gracefully: it flushes what it has queued and closes its connections in order.
     *
     * @throws IllegalStateException if it is not running
     */
    public ZkNode stop() {
        ensemble.parts().control().stop(runtime(), NodeState.STOPPED);
        return this;
    }

    /**
     * Crashes the server as a process crash would: from the instant of the kill nothing more reaches its files, so
     * what ZooKeeper had queued or buffered in memory (transactions appended but not yet flushed, the flush a slow
     * disk held) is lost, and its files stay as they were at its last write to the OS, for {@link #restart()}.
     * Every byte on its connections stops moving, then the peer shuts down, then every connection it had (to peers
     * and clients) is reset, as a dead process's kernel would. Without links ({@code links(false)}) the
     * connections close as in a shutdown; the files are still those of a crash.
     *
     * @throws IllegalStateException if it is not running
     */
    public ZkNode kill() {
        ensemble.parts().control().stop(runtime(), NodeState.KILLED);
        return this;
    }

    /**
     * Crashes the server as {@link #kill()} does, and the machine loses power too: what its transaction log files
     * got since their last sync is lost as well. A sync point is a flush ZooKeeper asked for (the harness counts
     * it even though it skips the real fsync). A file never synced is deleted; a synced one reads as zeros past
     * its last sync. Snapshots: one ZooKeeper forced (it forces only the snapshot of a SNAP sync from the leader)
     * survives; one it did not force (the periodic snapshot after a log roll, the one taken when a server loads its
     * data) survives once a log sync followed it, since a sync writes out everything written before it (a journaling
     * file system in ordered mode); written after the last sync, it is gone, or cut back to what its last sync kept.
     * Each file cut is listed in the node's pending damage, like
     * {@link ZkDisk}'s damage at rest.
     *
     * @throws IllegalStateException if it is not running
     */
    public ZkNode powerLoss() {
        ensemble.parts().control().powerLoss(runtime(), null, null);
        return this;
    }

    /**
     * {@link #powerLoss()}, where {@code seed} chooses, per file, how much of the unsynced tail survives: none,
     * all, a prefix that ends where a transaction ends, or a prefix that ends inside one (a torn write; never inside
     * a log file's 16-byte header, which ZooKeeper writes by itself in the file's first sector, whole or not at all);
     * what survives keeps the order of the writes across log files (once a newer log kept a byte, every older one
     * keeps all it was written, and no older one is gone while a newer one's name stayed); a file never synced may
     * also be left empty (its name reached the disk, none of its bytes: what a crash right after a log
     * roll leaves, ZOOKEEPER-2332), or be gone. A snapshot at risk (written without being forced since the last log
     * sync) is kept whole, gone, empty (its name on the disk, none of its bytes) or torn (a prefix), also as the seed
     * chooses; ZooKeeper then starts from the newest valid snapshot and the logs after it, or refuses. The same
     * seed on the same files makes the same choices, and the snapshots' draws are separate from the log files'.
     * Should ZooKeeper refuse the files on {@link #restart()}, that
     * throws a {@link ZkStartException} naming the files cut, and {@link #wipe()} is the remedy.
     *
     * @throws IllegalStateException if it is not running
     */
    public ZkNode powerLoss(long seed) {
        // mixed first: java.util.Random's first draw is nearly the same for neighbouring seeds; the log files take
        // the first draw (as before snapshots were cut), the snapshots the second
        SplittableRandom mixed = new SplittableRandom(seed);
        Random logs = new Random(mixed.nextLong());
        Random snapshots = new Random(mixed.nextLong());
        ensemble.parts().control().powerLoss(runtime(), logs, snapshots);
        return this;
    }

    /**
     * Starts a stopped or killed server again: same id, ports, client address and data. Like every control
     * method of one node, it returns once the action is done on that node (here: its ports bound, its peer
     * started), without waiting for the rest of the ensemble, which may not be able to serve yet (say, the
     * first of three stopped voters); wait with {@link #awaitServing()}.
     *
     * @throws IllegalStateException if it is running
     * @throws ZkStartException if one of its ports was taken meanwhile
     */
    public ZkNode restart() {
        ensemble.parts().control().restart(runtime());
        return this;
    }

    /**
     * A rolling-upgrade step: stops this running server and starts it again on ZooKeeper {@code version}, with the
     * same id ({@code myid}), ports, client address, {@code dataDir} and {@code dataLogDir}. Also a downgrade: any
     * supported version in either direction. Returns once its peer started on the new version, like
     * {@link #restart()}; wait with {@link #awaitServing()}. A version other than the class path's runs in a class
     * loader of the node's own ({@link ZkRuntime#ISOLATED}). Its {@link #status()} and every timeout message show the
     * version it runs; a recorded history ({@code recordFaults}) gets a band "upgrade node N from ZooKeeper a to b".
     *
     * @throws NullPointerException if {@code version} is null
     * @throws IllegalStateException if it is not running, was removed, or the jars of {@code version} are missing (the
     *     message names the artifact and the command that fetches it; the node is left running)
     */
    public ZkNode upgrade(ZkVersion version) {
        Objects.requireNonNull(version, "version must not be null");
        ensemble.parts().control().upgrade(runtime(), version.internal());
        return this;
    }

    /**
     * Loses the server's disk: kills it if it runs, deletes its data and transaction log, writes a fresh
     * {@code myid}, and starts it empty, so that the ensemble resyncs it. Returns once its ports are bound and
     * its peer started, like {@link #restart()}; wait with {@link #awaitServing()}.
     *
     * @throws ZkHarnessException if its directories cannot be deleted or created
     */
    public ZkNode wipe() {
        ensemble.parts().control().wipe(runtime());
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
        ensemble.parts().cluster().requireOpen();
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
        ensemble.parts().cluster().requireOpen();
        ensemble.await("node " + id + " in role " + role, timeout, () -> role() == role);
        return this;
    }

    /** {@link #awaitRole(Role, Duration)} with the ensemble's default timeout. */
    public ZkNode awaitRole(Role role) {
        return awaitRole(role, ensemble.defaultTimeout());
    }

    /** {@link #awaitNotServing(Duration)} with the ensemble's default timeout. */
    public ZkNode awaitNotServing() {
        return awaitNotServing(ensemble.defaultTimeout());
    }

    /**
     * Waits until this node no longer serves clients: stopped, killed, or running without a quorum (after
     * {@code syncLimit} ticks without one, ZooKeeper stops serving and elects).
     *
     * @throws ZkTimeoutException naming every node's state if it still serves after {@code timeout}
     */
    public ZkNode awaitNotServing(Duration timeout) {
        ensemble.parts().cluster().requireOpen();
        ensemble.await("node " + id + " not serving", timeout, () -> !isServing());
        return this;
    }

    /**
     * A new ZooKeeper client of this node alone, connected, as {@link ZkEnsemble#newZooKeeper()}. The caller
     * closes it. Note that a client given one server cannot move when that server goes down.
     *
     * @throws IllegalStateException at once if this node is not running, refuses clients or was removed
     */
    public ZooKeeper newZooKeeper() {
        requireStarted();
        ClientTargets.of(ensemble.parts().cluster()).requireUsable(id, state(), "ensemble.newZooKeeper()");
        return ensemble.newZooKeeper(connectString());
    }

    /** The ensemble this node belongs to. */
    public ZkEnsemble ensemble() {
        return ensemble;
    }

    @Override
    public String toString() {
        return "ZkNode[" + status() + "]";
    }

    // ---------------------------------------------------------------------------------------------- internals

    private PeerProcess requireRunning(String what) {
        ensemble.parts().cluster().requireOpen();
        NodeRuntime node = runtime();
        PeerProcess p = node.process();
        if (node.state() != NodeState.RUNNING || p == null) {
            throw new IllegalStateException(
                    "node " + id + " is " + node.state() + " and cannot " + what + "; restart() it first");
        }
        return p;
    }

    private void requireStarted() {
        ensemble.parts().cluster().requireStarted();
    }

    /** The member with this id now, or null while the id is not a member. */
    private NodeRuntime member() {
        NodeRuntime now = ensemble.parts().cluster().member(id);
        if (now != null) {
            last = now;
        }
        return now;
    }

    /** The member with this id now, or the last one seen (in state REMOVED) while the id is not a member. */
    NodeRuntime runtime() {
        NodeRuntime now = member();
        return now != null ? now : Objects.requireNonNull(last, "node " + id + " was never a member");
    }
}
