package org.apache.zookeeper.server.quorum;

import io.github.zkharness.internal.PeerWiring;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Objects;
import javax.security.sasl.SaslException;
import org.apache.zookeeper.common.QuorumX509Util;
import org.apache.zookeeper.common.X509Exception;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.quorum.auth.QuorumAuth;
import org.apiguardian.api.API;

/**
 * A {@link QuorumPeer} whose every outgoing peer connection is routed by the harness, and whose failures to
 * bind a port are reported to the harness instead of exiting the JVM.
 *
 * <p><b>Internal to zk-harness; do not use.</b> It lives in ZooKeeper's package because the
 * {@link Follower} and {@link Observer} constructors and the bind-error hook of
 * {@link QuorumCnxManager.Listener} are package-private there. The contract it depends on is pinned by
 * {@code ZooKeeperContractTest}; it fails loudly the day ZooKeeper changes these hooks.
 *
 * <p>Where ZooKeeper dials another peer:
 * <ul>
 *   <li>election connections: always through {@link QuorumCnxManager#initiateConnectionAsync}, also when a
 *       higher id drops a lower id's connection and dials back to the address the lower one advertised;</li>
 *   <li>learner to leader: {@link Learner#sockConnect}, from followers and observers.</li>
 * </ul>
 * The leader never dials its learners.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public class HarnessQuorumPeer extends QuorumPeer {

    private final PeerWiring wiring;

    public HarnessQuorumPeer(PeerWiring wiring) throws SaslException {
        super();
        this.wiring = Objects.requireNonNull(wiring, "wiring");
    }

    /**
     * The peer's own quorum TLS settings ({@link PeerWiring#quorumTls}) instead of ZooKeeper's JVM-wide ones. Runs
     * inside {@code QuorumPeer}'s constructor, before {@link #wiring} is set: the settings are looked up lazily.
     */
    @Override
    QuorumX509Util createX509Util() {
        return new PeerX509Util(() -> wiring.quorumTls(getMyId()));
    }

    /** Whether the harness gave this peer quorum TLS settings; read after {@code setMyid}. */
    public boolean quorumTlsWanted() {
        return !wiring.quorumTls(getMyId()).isEmpty();
    }

    /** {@code quorum.cnxn.threads.size}: ZooKeeper's own setter is package-private. */
    public void setConnectionThreads(int size) {
        setQuorumCnxnThreadsSize(size);
    }

    /**
     * Quorum SASL as the harness gives it to this peer ({@link PeerWiring#quorumSasl}): off, ZooKeeper's default,
     * or on and required both ways ({@code quorum.auth.enableSasl}, {@code quorum.auth.serverRequireSasl},
     * {@code quorum.auth.learnerRequireSasl}) with the peer's own JAAS sections and ZooKeeper's default service
     * principal (unused by DIGEST-MD5). ZooKeeper's own setters are package-private. Read after {@code setMyid}.
     */
    public void useQuorumSasl() {
        Map<String, String> sections = wiring.quorumSasl(getMyId());
        setQuorumSaslEnabled(!sections.isEmpty());
        if (sections.isEmpty()) {
            return; // and so none of the setters ZooKeeper calls only with SASL on
        }
        setQuorumServerSaslRequired(true);
        setQuorumLearnerSaslRequired(true);
        setQuorumServicePrincipal(QuorumAuth.QUORUM_KERBEROS_SERVICE_PRINCIPAL_DEFAULT_VALUE);
        setQuorumServerLoginContext(sections.get(PeerWiring.QUORUM_SERVER_LOGIN_CONTEXT));
        setQuorumLearnerLoginContext(sections.get(PeerWiring.QUORUM_LEARNER_LOGIN_CONTEXT));
    }

    @Override
    public boolean isReconfigEnabled() {
        return wiring.reconfigEnabled();
    }

    /** ZooKeeper's election, with ties between equally up-to-date candidates broken toward the harness's choice. */
    @Override
    protected Election createElectionAlgorithm(int electionAlgorithm) {
        return electionAlgorithm == PreferredLeaderElection.FAST_LEADER_ELECTION
                ? PreferredLeaderElection.start(this, wiring::preferredLeader)
                : super.createElectionAlgorithm(electionAlgorithm);
    }

    @Override
    public QuorumCnxManager createCnxnManager() {
        // as QuorumPeer does: the JVM-wide zookeeper.quorumCnxnTimeoutMs if positive, else tick * syncLimit
        int configured = Integer.getInteger(QUORUM_CNXN_TIMEOUT_MS, -1);
        int timeout = configured > 0 ? configured : tickTime * getSyncLimit();
        QuorumCnxManager manager = new RoutedCnxManager(this, timeout);
        manager.listener.setSocketBindErrorHandler(() -> wiring.bindFailed(getMyId(), "election", null));
        return manager;
    }

    @Override
    protected Leader makeLeader(FileTxnSnapLog logFactory) throws IOException, X509Exception {
        try {
            return super.makeLeader(logFactory);
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                wiring.bindFailed(getMyId(), "quorum", e);
            }
            throw e;
        }
    }

    @Override
    protected Follower makeFollower(FileTxnSnapLog logFactory) throws IOException {
        return new Follower(this, new FollowerZooKeeperServer(logFactory, this, getZkDb())) {
            @Override
            protected void sockConnect(Socket sock, InetSocketAddress addr, int timeout) throws IOException {
                sock.connect(wiring.quorumDial(getMyId(), addr), timeout);
            }
        };
    }

    @Override
    protected Observer makeObserver(FileTxnSnapLog logFactory) throws IOException {
        return new Observer(this, new ObserverZooKeeperServer(logFactory, this, getZkDb())) {
            @Override
            protected void sockConnect(Socket sock, InetSocketAddress addr, int timeout) throws IOException {
                sock.connect(wiring.quorumDial(getMyId(), addr), timeout);
            }
        };
    }

    private final class RoutedCnxManager extends QuorumCnxManager {

        RoutedCnxManager(HarnessQuorumPeer self, int socketTimeout) {
            super(
                    self,
                    self.getMyId(),
                    self.getView(),
                    self.authServer,
                    self.authLearner,
                    socketTimeout,
                    self.getQuorumListenOnAllIPs(),
                    self.quorumCnxnThreadsSize,
                    self.isQuorumSaslAuthEnabled());
        }

        /**
         * Dials the link for this pair, in the calling thread. ZooKeeper would hand the dial to a pool whose idle
         * threads linger 60 s; a connect to a loopback link is accepted at once, and the handshake only writes
         * (without SASL), so nothing blocks and the ensemble runs with fewer threads. With quorum TLS or SASL the
         * handshake waits for the other side: then ZooKeeper's own pool dials.
         */
        @Override
        public boolean initiateConnectionAsync(MultipleAddresses electionAddr, Long sid) {
            InetSocketAddress requested = electionAddr == null || electionAddr.isEmpty() ? null : electionAddr.getOne();
            InetSocketAddress target = wiring.electionDial(getMyId(), sid, requested);
            if (target == null) {
                return true; // refused, as a failed connect would be; ZooKeeper dials again on its next round
            }
            if (isSslQuorum() || isQuorumSaslAuthEnabled()) {
                if (sid > getMyId() && wiring.dialsSoon(sid, getMyId())) {
                    // ZooKeeper would keep only sid's connection: sid is dialing us anyway, and a dial of ours would
                    // cost two more handshakes and could replace the connection sid just made (PeerWiring#dialsSoon)
                    return true; // as a refused dial: ZooKeeper asks again on its next round
                }
                // a TLS or SASL handshake waits for the other peer, which may be dialing back: ZooKeeper's pool
                return super.initiateConnectionAsync(new MultipleAddresses(target), sid);
            }
            initiateConnection(new MultipleAddresses(target), sid);
            return true;
        }
    }
}
