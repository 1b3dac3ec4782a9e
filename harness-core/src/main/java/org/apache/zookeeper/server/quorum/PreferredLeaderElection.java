package org.apache.zookeeper.server.quorum;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

/**
 * ZooKeeper's fast leader election, with one change to the order of candidates: between two candidates that hold
 * the same epoch and the same last zxid, the preferred server wins, where ZooKeeper would take the higher id.
 * Otherwise the order is ZooKeeper's own: the higher epoch, then the higher zxid, then the higher id; and a server
 * without a vote (weight 0, an observer) never wins.
 *
 * <p>Safe for ZAB: a leader still holds the highest epoch and zxid among those that elect it; only the choice
 * among equals changes. Every peer of an ensemble must apply the same preference, or their votes would not
 * converge: each reads it from the same source (the harness, through {@code PeerWiring}) at every comparison.
 *
 * <p><b>Internal to zk-harness; do not use.</b> It lives in ZooKeeper's package beside {@link HarnessQuorumPeer},
 * which installs it. The hooks it relies on ({@code totalOrderPredicate}, the constructor, {@code createElectionAlgorithm}
 * and QuorumPeer's private {@code qcmRef}) are pinned by {@code ZooKeeperContractTest}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PreferredLeaderElection extends FastLeaderElection {

    /** The election algorithm {@code QuorumPeer} builds by default: ZooKeeper's fast leader election. */
    public static final int FAST_LEADER_ELECTION = 3;

    /**
     * QuorumPeer keeps its connection manager in a private reference, which its reconfiguration reads to connect
     * new peers and {@code getQuorumCnxManager()} returns: an election built here must set it as ZooKeeper's does.
     */
    private static final Field CNXN_MANAGER_REF = cnxnManagerRef();

    private final LongSupplier preferred;

    private PreferredLeaderElection(QuorumPeer self, QuorumCnxManager manager, LongSupplier preferred) {
        super(self, manager);
        this.preferred = preferred;
    }

    /**
     * What {@code QuorumPeer.createElectionAlgorithm(3)} does, with this election in place of ZooKeeper's: a new
     * connection manager (the old one, after a reconfiguration, is halted), its listener started, the election
     * started.
     *
     * @param preferred the preferred server id, or a negative number for none; read at every comparison
     */
    public static Election start(QuorumPeer peer, LongSupplier preferred) {
        QuorumCnxManager manager = peer.createCnxnManager();
        QuorumCnxManager old = managerRef(peer).getAndSet(manager);
        if (old != null) {
            old.halt();
        }
        manager.listener.start();
        PreferredLeaderElection election = new PreferredLeaderElection(peer, manager, preferred);
        election.start();
        return election;
    }

    @Override
    protected boolean totalOrderPredicate(
            long newId, long newZxid, long newEpoch, long curId, long curZxid, long curEpoch) {
        long favoured = preferred.getAsLong();
        if (favoured >= 0
                && newId != curId
                && (newId == favoured || curId == favoured)
                && newEpoch == curEpoch
                && newZxid == curZxid
                && hasVote(favoured, newZxid, newEpoch)) {
            return newId == favoured;
        }
        return super.totalOrderPredicate(newId, newZxid, newEpoch, curId, curZxid, curEpoch);
    }

    /** Whether {@code sid} votes: ZooKeeper's own order lets it beat the lowest possible id only then. */
    private boolean hasVote(long sid, long zxid, long epoch) {
        return super.totalOrderPredicate(sid, zxid, epoch, Long.MIN_VALUE, zxid, epoch);
    }

    @SuppressWarnings("unchecked")
    private static AtomicReference<QuorumCnxManager> managerRef(QuorumPeer peer) {
        try {
            return (AtomicReference<QuorumCnxManager>) CNXN_MANAGER_REF.get(peer);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("zk-harness cannot read QuorumPeer.qcmRef: " + e, e);
        }
    }

    private static Field cnxnManagerRef() {
        try {
            Field field = QuorumPeer.class.getDeclaredField("qcmRef");
            if (field.getType() != AtomicReference.class) {
                throw new IllegalStateException("ZooKeeper changed: QuorumPeer.qcmRef is a " + field.getType()
                        + ", zk-harness's leader election expects an AtomicReference");
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "ZooKeeper changed: QuorumPeer.qcmRef is gone; zk-harness's leader election sets it", e);
        }
    }
}
