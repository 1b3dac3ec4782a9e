package io.github.zkharness.internal.ensemble;

import io.github.zkharness.DiskFailure;
import io.github.zkharness.NodeState;
import io.github.zkharness.NodeStatus;
import io.github.zkharness.Role;
import io.github.zkharness.ThreadFailure;
import io.github.zkharness.internal.DiskState;
import io.github.zkharness.internal.NodeThreads;
import io.github.zkharness.internal.PeerProcess;
import io.github.zkharness.internal.ServerCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One server id's place in an ensemble while it is a member: its ports, directories, thread group, current
 * {@link PeerProcess} and how it last went down. The public {@code ZkNode} is a handle on the member with its
 * id; this is what the ensemble's parts change. Fields are written under the ensemble's lock and read by
 * anyone.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NodeRuntime {

    private final int id;
    private final NodeThreads threads;
    private final DiskState disk;
    private volatile boolean voter;
    /** Whether ZooKeeper's committed configuration names it (false for a server outside the configuration). */
    private volatile boolean configured = true;
    /** Whether, while outside the configuration, it starts as an observer (a joiner the harness adds as one). */
    volatile boolean joinsAsObserver;
    /** Brings {@link #voter} and {@link #configured} up to the configuration committed now. */
    private final Runnable follow;

    private volatile Path dataDir;
    private volatile Path dataLogDir;
    volatile int quorumPort;
    volatile int electionPort;
    volatile int realClientPort;
    volatile InetSocketAddress publicClientAddress;
    volatile PeerProcess process;
    volatile String portConflict;
    private volatile NodeState state = NodeState.STOPPED;
    private volatile long lastZxid;
    private volatile long lastEpoch;

    /** The code its next run loads: its ZooKeeper version, shared or in a class loader of its own. */
    volatile ServerCode code;

    NodeRuntime(int id, boolean voter, NodeThreads threads, Runnable follow, ServerCode code) {
        this.id = id;
        this.code = code;
        this.voter = voter;
        this.threads = threads;
        this.follow = follow;
        this.disk = new DiskState(id);
    }

    /** Its disk faults, failures and damage, kept across its runs. */
    public DiskState disk() {
        return disk;
    }

    /** The server id ({@code myid}). */
    public int id() {
        return id;
    }

    /** Whether it votes in the configuration committed now. */
    public boolean isVoter() {
        follow.run();
        return voter;
    }

    /** Whether the configuration committed now names it (as a voter or an observer). */
    public boolean isConfigured() {
        follow.run();
        return configured;
    }

    /** {@link #isConfigured()} as last followed, without reading the configuration again. */
    boolean configuredAsFollowed() {
        return configured;
    }

    /** {@link #isVoter()} as last followed, without reading the configuration again. */
    boolean voterAsFollowed() {
        return voter;
    }

    /** The thread group every thread of its peer runs in; it records the threads that die. */
    public NodeThreads threads() {
        return threads;
    }

    /** Every thread of this member that died of an uncaught exception, oldest first, across restarts. */
    public List<ThreadFailure> threadDeaths() {
        return threads.failures();
    }

    /** The deaths since this member's peer last started (all of them before it first started). */
    private List<ThreadFailure> threadDeathsOfThisRun() {
        PeerProcess p = process;
        Instant since = p == null ? null : p.startedAt();
        List<ThreadFailure> all = threads.failures();
        return since == null
                ? all
                : all.stream().filter(f -> !f.time().isBefore(since)).toList();
    }

    /** What disk faults did since this member's peer last started (all of it before it first started). */
    private List<DiskFailure> diskFailuresOfThisRun() {
        PeerProcess p = process;
        Instant since = p == null ? null : p.startedAt();
        List<DiskFailure> all = disk.failures();
        return since == null
                ? all
                : all.stream().filter(f -> !f.time().isBefore(since)).toList();
    }

    /** Where clients connect: the link's address, or the server's own without links. */
    public InetSocketAddress clientAddress() {
        return publicClientAddress;
    }

    /** Its data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Its transaction log directory. */
    public Path dataLogDir() {
        return dataLogDir;
    }

    /** Its quorum port, as listed in every peer's view. */
    public int quorumPort() {
        return quorumPort;
    }

    /** Its election port, as listed in every peer's view. */
    public int electionPort() {
        return electionPort;
    }

    /** The peer of its current run, or null. */
    public PeerProcess process() {
        return process;
    }

    /** The ZooKeeper version it runs (or ran last, or starts with). */
    public String version() {
        PeerProcess p = process;
        return p != null ? p.code().version().version() : code.version().version();
    }

    /** The code its next run loads. */
    public ServerCode code() {
        return code;
    }

    /** Its role now. */
    public Role role() {
        PeerProcess p = process;
        return state != NodeState.RUNNING || p == null ? Role.STOPPED : p.role();
    }

    /** Whether it runs, or how it went down. */
    public NodeState state() {
        return state;
    }

    /** Whether it accepts client requests now. */
    public boolean isServing() {
        PeerProcess p = process;
        return state == NodeState.RUNNING && p != null && p.serving();
    }

    /** The last transaction it applied, or the last one known. */
    public long lastZxid() {
        PeerProcess p = process;
        return state == NodeState.RUNNING && p != null ? p.lastZxid() : lastZxid;
    }

    /** Its epoch, or the last one known. */
    public long epoch() {
        PeerProcess p = process;
        return state == NodeState.RUNNING && p != null ? p.epoch() : lastEpoch;
    }

    /** A snapshot for messages and {@code status()}. */
    public NodeStatus status() {
        return new NodeStatus(
                id,
                role(),
                state,
                isServing(),
                isVoter(),
                publicClientAddress,
                dataDir,
                dataLogDir,
                quorumPort,
                electionPort,
                lastZxid(),
                epoch(),
                threadDeathsOfThisRun(),
                diskFailuresOfThisRun(),
                version());
    }

    // ------------------------------------------------------------------------------ changed by the ensemble

    void assignPorts(int quorum, int election) {
        this.quorumPort = quorum;
        this.electionPort = election;
        this.portConflict = null;
    }

    void placeIn(Path dir, boolean separateLog) {
        this.dataDir = dir.resolve("data");
        this.dataLogDir = separateLog ? dir.resolve("datalog") : dataDir;
        disk.oneDisk(!separateLog);
    }

    void createDirectories() throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(dataLogDir);
        Files.writeString(dataDir.resolve("myid"), id + "\n", StandardCharsets.US_ASCII);
    }

    void started() {
        state = NodeState.RUNNING;
    }

    /** Keeps the last zxid and epoch of a peer that still runs, for when it no longer does. */
    void remember(PeerProcess p) {
        if (p != null && p.running()) {
            lastZxid = p.lastZxid();
            lastEpoch = p.epoch();
        }
    }

    void stopped(NodeState how) {
        state = how;
    }

    void voter(boolean isVoter) {
        this.voter = isVoter;
    }

    void configured(boolean isConfigured) {
        this.configured = isConfigured;
    }

    void removed() {
        state = NodeState.REMOVED;
        process = null;
    }

    void forgetData() {
        lastZxid = 0;
        lastEpoch = 0;
    }

    @Override
    public String toString() {
        return status().toString();
    }
}
