package io.github.zkharness;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * One server at one moment: what {@link ZkNode#status()} and {@link ZkEnsemble#status()} return and what every
 * timeout message prints.
 *
 * @param id         the server id (myid)
 * @param role       leader, follower, observer, looking or stopped
 * @param state      running, stopped or killed
 * @param serving    whether it accepts client requests now
 * @param voter      whether it is a participant (votes) rather than an observer
 * @param clientAddress where clients connect to it
 * @param dataDir    its data directory: {@code myid}, snapshots, and the transaction log unless the ensemble
 *                   separates them
 * @param dataLogDir where it writes its transaction log: {@code dataDir} unless the ensemble was built with
 *                   {@code separateDataLogDir(true)}
 * @param quorumPort its quorum port (followers connect to the leader's), as listed in every peer's view
 * @param electionPort its leader-election port, as listed in every peer's view
 * @param lastZxid   the last transaction id it has applied, or the last known one when it is not running
 * @param epoch      its current epoch (the high 32 bits of new zxids), or the last known one
 * @param threadDeaths threads of its current (or last) run that died of an uncaught exception; see
 *                   {@link ZkNode#threadDeaths()}
 * @param diskFailures what injected disk faults did during its current (or last) run; see
 *                   {@link io.github.zkharness.ZkDisk#failures()}
 * @param version    the ZooKeeper release it runs (or ran last), e.g. {@code 3.9.5}; see {@link ZkVersion}
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public record NodeStatus(
        int id,
        Role role,
        NodeState state,
        boolean serving,
        boolean voter,
        InetSocketAddress clientAddress,
        Path dataDir,
        Path dataLogDir,
        int quorumPort,
        int electionPort,
        long lastZxid,
        long epoch,
        List<ThreadFailure> threadDeaths,
        List<DiskFailure> diskFailures,
        String version) {

    /** How many thread deaths {@link #toString()} spells out; the rest are counted. */
    private static final int DEATHS_SHOWN = 3;

    /** Copies the lists. */
    public NodeStatus {
        threadDeaths = List.copyOf(threadDeaths);
        diskFailures = List.copyOf(diskFailures);
    }

    /**
     * A compact form for messages, e.g. {@code 2=FOLLOWER(serving, zxid 0x100000003, ZooKeeper 3.9.5)}, followed by the newest
     * disk failure if any ({@code [disk: transaction log append failed: No space left on device on SyncThread:2
     * (full log disk of node 2: ...); ...]}), then its thread deaths if any: {@code 3=LOOKING(not serving, zxid
     * 0x0) [thread WorkerSender[myid=3] died of NullPointerException at QuorumCnxManager.connectOne; this node
     * can no longer send election votes]}.
     */
    @Override
    public String toString() {
        String detail = state != NodeState.RUNNING ? state.name() : (serving ? "serving" : "not serving");
        String text = id + "=" + role + "(" + detail + (voter ? "" : ", observer") + ", zxid 0x"
                + Long.toHexString(lastZxid) + ", ZooKeeper " + version + ")";
        if (!diskFailures.isEmpty()) {
            // the newest tells what the node is going through now
            DiskFailure last = diskFailures.get(diskFailures.size() - 1);
            text += " [disk: " + last.describe()
                    + (diskFailures.size() > 1 ? "; " + diskFailures.size() + " disk failures this run" : "") + "]";
        }
        if (threadDeaths.isEmpty()) {
            return text;
        }
        String deaths = threadDeaths.stream()
                .limit(DEATHS_SHOWN)
                .map(ThreadFailure::describe)
                .collect(Collectors.joining("; "));
        int more = threadDeaths.size() - DEATHS_SHOWN;
        return text + " [" + deaths + (more > 0 ? "; and " + more + " more thread deaths" : "") + "]";
    }
}
