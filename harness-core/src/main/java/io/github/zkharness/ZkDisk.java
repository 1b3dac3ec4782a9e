package io.github.zkharness;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.internal.DiskControl;
import io.github.zkharness.internal.Facades;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The disks of one node: get it from {@code ZkNode.disk()}.
 *
 * <p>A node has two disks as ZooKeeper sees them: the one that holds its transaction log ({@code dataLogDir})
 * and the one that holds its snapshots ({@code dataDir}). Unless the ensemble was built with
 * {@code separateDataLogDir(true)}, they are one disk, and a fault on either applies to both: a slow or full
 * snapshot disk is then a slow or full log disk too. That is the reason ZooKeeper's administrator's guide gives
 * the log a device of its own, and {@link #sharesOneDisk()} says which case applies.
 *
 * <p><b>Live faults</b> return {@link Fault} handles, listed by {@link #faults()}, healed by
 * {@link Fault#heal()} and {@code ZkEnsemble.reset()}. They belong to the node, not to one run of it: they stay in force across stop,
 * kill, restart and wipe until healed. Faults combine: two slow faults add their delays.
 * <ul>
 *   <li>slow: every flush of the transaction log (ZooKeeper's fsync after a batch of appends) or every
 *       snapshot write takes that much longer, as on an overloaded or failing device. A flush ZooKeeper is
 *       waiting on ends early when the fault is healed or the node is stopped.</li>
 *   <li>full: every write fails with {@code java.io.IOException: No space left on device}, as the JDK reports a
 *       full disk, and ZooKeeper reacts as it does to a real one (see {@link #fullLog()}). What each failure did
 *       is in {@link #failures()}, in the node's status and in every timeout message.</li>
 * </ul>
 *
 * <p><b>Damage at rest</b> changes the files of a stopped or killed node, so that its next
 * {@code restart()} shows what ZooKeeper really does with them: it recovers (and the ensemble resyncs it) or it
 * refuses to start with its own reason, which {@code restart()} throws as a {@code ZkStartException} naming the
 * node and the damaged file; {@code wipe()} is then the remedy. Damaging a running node throws
 * {@link IllegalStateException}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZkDisk {

    static {
        Facades.register(ZkDisk.class, DiskControl.class, ZkDisk::new);
    }

    private final DiskControl disk;

    private ZkDisk(DiskControl disk) {
        this.disk = disk;
    }

    /** The server id of the node these disks belong to. */
    public int nodeId() {
        return disk.nodeId();
    }

    /**
     * Whether the transaction log and the snapshots are on one disk (no {@code separateDataLogDir(true)}): a
     * fault on either then applies to both.
     */
    public boolean sharesOneDisk() {
        return disk.sharesOneDisk();
    }

    /**
     * Makes the disk of the transaction log slow: every flush of the log takes {@code delay} plus a random part
     * of {@code jitter} longer. ZooKeeper commits a write once any quorum has logged it, the leader's own log
     * included or not: in a 3-voter ensemble one slow log (even the leader's) slows no write, slow logs on two
     * voters slow every write. A follower whose log stalls keeps following on ZooKeeper 3.9 (it still answers the
     * leader's pings); 3.8 drops it after {@code syncLimit} ticks.
     *
     * @throws IllegalArgumentException if {@code delay} or {@code jitter} is negative
     */
    public Fault slowLog(Duration delay, Duration jitter) {
        return disk.slowLog(delay, jitter);
    }

    /**
     * Makes the disk of the snapshots slow: every snapshot write takes {@code delay} plus a random part of
     * {@code jitter} longer. ZooKeeper writes snapshots beside the request path, so this alone does not slow
     * writes, unless the log shares the disk ({@link #sharesOneDisk()}).
     *
     * @throws IllegalArgumentException if {@code delay} or {@code jitter} is negative
     */
    public Fault slowSnapshots(Duration delay, Duration jitter) {
        return disk.slowSnapshots(delay, jitter);
    }

    /**
     * Fills the disk of the transaction log: appends and flushes fail with {@code No space left on device}.
     * ZooKeeper's reaction (3.8 and 3.9) is its own: the {@code SyncThread} ends
     * ({@code ZooKeeperCriticalThread.handleException}), the server goes to state {@code ERROR}, the node leaves
     * its role and elects again, and fails again at its next write for as long as the disk stays full. In an
     * ensemble there is no exit of the JVM for this; when a snapshot fails too (one shared disk), ZooKeeper asks
     * the JVM to exit and the harness records it as this node's crash (state {@code KILLED}), not as an
     * unexpected exit of the test.
     */
    public Fault fullLog() {
        return disk.fullLog();
    }

    /**
     * Fills the disk of the snapshots: snapshot writes fail with {@code No space left on device}. ZooKeeper
     * treats a failed snapshot as fatal and asks the JVM to exit; the harness records that as this node's crash
     * caused by the fault (state {@code KILLED}, see {@link #failures()}) instead of exiting.
     */
    public Fault fullSnapshots() {
        return disk.fullSnapshots();
    }

    /** The live disk faults of this node in force now, oldest first. */
    public List<Fault> faults() {
        return disk.faults();
    }

    /** What injected faults did to this node since the ensemble was built, oldest first (the newest 100). */
    public List<DiskFailure> failures() {
        return disk.failures();
    }

    /**
     * The damage done to this node's files since it last started, oldest first: this class's damage at rest and
     * what {@link ZkNode#powerLoss()} cut. Empty once the node starts again.
     */
    public List<DiskDamage> pendingDamage() {
        return disk.pendingDamage();
    }

    /**
     * A torn write: cuts the newest transaction log inside its last transaction, as a crash in the middle of an
     * append leaves it.
     *
     * @throws IllegalStateException if the node runs, or has no transaction in its newest log
     */
    public DiskDamage truncateLogTail() {
        return disk.truncateLogTail();
    }

    /**
     * Flips bytes inside the last transaction of the newest transaction log, so that its checksum no longer
     * matches.
     *
     * @throws IllegalStateException if the node runs, or has no transaction in its newest log
     */
    public DiskDamage corruptLog() {
        return disk.corruptLog();
    }

    /**
     * Deletes the newest snapshot.
     *
     * @throws IllegalStateException if the node runs or has no snapshot
     */
    public DiskDamage deleteSnapshot() {
        return disk.deleteSnapshot();
    }

    /**
     * Overwrites bytes in the middle of the newest snapshot, so that its checksum no longer matches.
     *
     * @throws IllegalStateException if the node runs or has no snapshot
     */
    public DiskDamage corruptSnapshot() {
        return disk.corruptSnapshot();
    }

    @Override
    public String toString() {
        return disk.toString();
    }
}
