package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.EnumSet;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The kinds of step a {@link ChaosSchedule} draws from. A <em>held</em> kind is applied, held for a drawn time, then
 * undone (a healed fault, a restarted node); the others act once.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum ChaosKind {
    /** Held: crashes a node ({@code ZkNode.kill()}: the leader or a drawn node), restarted at the end. */
    KILL(true),
    /** Held: stops a node gracefully ({@code ZkNode.stop()}), restarted at the end. */
    STOP(true),
    /** Once: stops a node and starts it again at once (a rolling restart's step). */
    RESTART(false),
    /**
     * Once: loses a node's disk ({@code ZkNode.wipe()}) and waits until it has resynced. A node (voter or observer) is wiped only
     * while every node runs, no fault of the run is in force and the ensemble serves: ZooKeeper assumes disks survive, and a
     * wiped voter in a quorum that lacks the nodes with the latest writes loses acknowledged writes (its contract, not a
     * bug). Otherwise the step is skipped.
     */
    WIPE(false),
    /** Held: splits the nodes into two (sometimes three) drawn groups. */
    PARTITION(true),
    /** Held: cuts a drawn node off from its peers. */
    ISOLATE(true),
    /** Held: cuts whichever node leads when the step runs off from its peers. */
    ISOLATE_LEADER(true),
    /** Held: one way, what one node sends another is held. */
    CUT(true),
    /** Held: nothing a node sends or is sent moves, clients included (a long GC pause). */
    FREEZE(true),
    /** Held: traffic between two nodes stops both ways without a reset. */
    STALL(true),
    /** Held: connections between two nodes are reset and new ones refused. */
    DISCONNECT(true),
    /** Held: every peer link of a node is delayed by 5-155 ms plus up to 50 ms of jitter. */
    LATENCY(true),
    /** Held: traffic between two nodes is limited to 64-256 KiB/s. */
    BANDWIDTH(true),
    /** Held: every client is cut off a node; they move to other servers. */
    CUT_CLIENTS(true),
    /** Once: expires a session for real ({@code ZkEnsemble.expireSession}). */
    EXPIRE_SESSION(false),
    /** Once: drops a session's connection at its server; the client reconnects and keeps its session. */
    DROP_CONNECTION(false),
    /**
     * Held, drawn only when asked for: every flush of a node's transaction log takes 5-155 ms longer, plus up to 50
     * ms of jitter ({@code ZkNode.disk().slowLog}).
     */
    SLOW_LOG(true),
    /**
     * Held, drawn only when asked for: a node's transaction log disk is full ({@code ZkNode.disk().fullLog()}): the
     * node drops out and flaps until healed, so it counts as down; if ZooKeeper asks to exit over it (a snapshot on
     * the same disk), the node is restarted when the step ends, or, if it asks only after the heal (over a write that
     * failed before it), at the next recovery: a {@link #RECOVER} step or the run's close.
     */
    FULL_LOG(true),
    /**
     * Once, drawn only when asked for: adds an observer through a reconfiguration and removes it again, while every
     * node runs and no fault of the run is in force (otherwise skipped).
     */
    MEMBERSHIP(false),
    /**
     * Held, drawn only when asked for: crashes a node (the leader or a drawn node) and cuts its power
     * ({@code ZkNode.powerLoss(seed)}, the seed drawn from the schedule's): besides what {@link #KILL} loses, what
     * its log files got since their last sync is lost, in whole or in part; restarted at the end. Should ZooKeeper
     * then refuse to start from the files the crash left, the step fails, naming the files cut and ZooKeeper's
     * reason (a crash must leave files a server starts from), and the node stays down.
     */
    POWER_LOSS(true),
    /**
     * Held, drawn only when asked for: a crash while its log is slow under load. Every flush of a drawn node's
     * transaction log takes 50-500 ms longer ({@code ZkNode.disk().slowLog}), so that under load each flush carries a
     * batch of transactions (a log roll and a new log file among them, with {@code zookeeper.snapCount} small), and
     * 0.2-2 s later, while its flushes are slowed (under load one is then usually held), the power goes ({@code ZkNode.powerLoss(seed)}, the seed drawn from the
     * schedule's, as {@link #POWER_LOSS}): of the slowed node, or, one draw in three, of whichever node leads then, so
     * that the slowed node loses its leader with transactions it has not synced. At the end the slow disk is healed
     * and the crashed node restarted; should ZooKeeper refuse its files, the step fails as a {@link #POWER_LOSS}
     * step does.
     */
    SLOW_LOG_POWER_LOSS(true),
    /**
     * Once, drawn only when asked for: hands the leadership to a drawn voter through ZooKeeper's own election
     * ({@code ZkEnsemble.moveLeader}: once the voter follows with all its data, the leader is restarted and the
     * elections prefer the voter), as an operator's leader transfer or a rolling restart does. So any voter may come
     * to lead, one just back from a fault among them, and the others then sync from it. Skipped when the voter is an
     * observer, leads already, is down or cut off by the run, or when restarting the leader would take more voters down
     * than the schedule allows; a move that does not complete within 10 s is recorded as skipped, with why (the
     * ensemble serves under some leader all the same). As after any {@code moveLeader}, the elections go on preferring
     * the last voter moved to (among equally up-to-date voters) until the next move or {@code ZkEnsemble.reset()}.
     */
    MOVE_LEADER(false),
    /**
     * Once, never drawn: inserted by {@link ChaosSchedule#recoverEvery(int, int)}; heals every fault of the run,
     * restarts every node it took down and waits until every node serves (not serving in time is a failed step).
     */
    RECOVER(false);

    private final boolean held;

    ChaosKind(boolean held) {
        this.held = held;
    }

    /**
     * Whether steps of this kind are applied, held, then undone.
     *
     * @return whether steps of this kind are applied, held, then undone
     */
    public boolean isHeld() {
        return held;
    }

    /**
     * Every kind a schedule may draw: all but {@link #RECOVER}.
     *
     * @return every kind a schedule may draw: all but {@link #RECOVER}
     */
    public static Set<ChaosKind> drawable() {
        EnumSet<ChaosKind> all = EnumSet.allOf(ChaosKind.class);
        all.remove(RECOVER);
        return all;
    }

    /**
     * The kinds a schedule draws unless told otherwise: every drawable kind but the disk, membership, power and
     * leader-moving ones ({@link #SLOW_LOG}, {@link #FULL_LOG}, {@link #MEMBERSHIP}, {@link #POWER_LOSS},
     * {@link #SLOW_LOG_POWER_LOSS}, {@link #MOVE_LEADER}), which came later: so a seed keeps giving the schedule it
     * gave.
     *
     * @return the kinds a schedule draws by default
     */
    public static Set<ChaosKind> defaults() {
        EnumSet<ChaosKind> kinds = EnumSet.copyOf(drawable());
        kinds.removeAll(disk());
        kinds.remove(MEMBERSHIP);
        kinds.remove(POWER_LOSS);
        kinds.remove(SLOW_LOG_POWER_LOSS);
        kinds.remove(MOVE_LEADER);
        return kinds;
    }

    /**
     * The disk faults: {@link #SLOW_LOG} and {@link #FULL_LOG}.
     *
     * @return the disk faults
     */
    public static Set<ChaosKind> disk() {
        return EnumSet.of(SLOW_LOG, FULL_LOG);
    }

    /**
     * The network faults: every kind that adds a fault to {@code ZkEnsemble.network()}.
     *
     * @return the network faults: every kind that adds a fault to {@code ZkEnsemble.network()}
     */
    public static Set<ChaosKind> network() {
        return EnumSet.of(
                PARTITION, ISOLATE, ISOLATE_LEADER, CUT, FREEZE, STALL, DISCONNECT, LATENCY, BANDWIDTH, CUT_CLIENTS);
    }

    /**
     * Kill, stop, restart and wipe: the kinds that take nodes down ({@link #POWER_LOSS} too, but it is not
     * among these: it came later, and {@link #crashes()} names it).
     *
     * @return kill, stop, restart and wipe: the kinds that take nodes down
     */
    public static Set<ChaosKind> nodes() {
        return EnumSet.of(KILL, STOP, RESTART, WIPE);
    }

    /**
     * The crashes: {@link #KILL} (the process dies: what ZooKeeper held in memory is lost) and {@link #POWER_LOSS}
     * (the machine too: what was not synced is lost as well).
     *
     * @return the crashes
     */
    public static Set<ChaosKind> crashes() {
        return EnumSet.of(KILL, POWER_LOSS);
    }
}
