package io.github.zkharness.internal;

import java.net.InetSocketAddress;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What a harness peer asks the harness whenever ZooKeeper's own code would open a socket to another peer or
 * bind one of its server ports. Implemented by the ensemble; called from ZooKeeper's threads.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface PeerWiring {

    /** What {@link #preferredLeader()} answers when elections follow ZooKeeper's own order. */
    long NO_PREFERRED_LEADER = -1;

    /**
     * Where peer {@code from} should dial to reach the election port of peer {@code to}. ZooKeeper may hand
     * us the address that {@code to} advertised in its handshake; it is ignored: the answer depends only on
     * the pair, so every election connection passes through the link for that pair. Null means the connection
     * is refused now (the target is down, or a fault refuses it): ZooKeeper retries on its next round.
     */
    InetSocketAddress electionDial(long from, long to, InetSocketAddress requested);

    /**
     * Where learner {@code from} should dial to reach the leader whose real quorum address is {@code leader}.
     *
     * @throws java.net.ConnectException when the leader does not listen yet, is down, or a fault refuses the
     *     connection: ZooKeeper's learner then retries as it does after a refused connect. (A proxy that
     *     accepted and then reset would instead send the learner back to leader election.)
     */
    InetSocketAddress quorumDial(long from, InetSocketAddress leader) throws java.io.IOException;

    /**
     * Whether peer {@code from} is about to dial peer {@code to}'s election port on its own: it was started a moment
     * ago and is electing, and both vote, so its election's first round of votes dials every other voter. Peer
     * {@code to} may then wait for that connection instead of dialing {@code from} itself. When {@code to} has the
     * lower id, its own dial could not carry a vote anyway (ZooKeeper keeps only the higher id's connection: the
     * higher peer drops the lower one's and dials back, and that dial-back replaces a connection it may have made
     * meanwhile, which makes its send worker repeat its last vote and restarts the other side's wait for a
     * settled election). False when in doubt: the caller then dials, as ZooKeeper does.
     */
    default boolean dialsSoon(long from, long to) {
        return false;
    }

    /** A server port of peer {@code sid} could not be bound; {@code which} says which port. Never exits the JVM. */
    void bindFailed(long sid, String which, Throwable cause);

    /** Whether ZooKeeper's dynamic reconfiguration is enabled for this peer (per peer, not JVM-wide). */
    boolean reconfigEnabled();

    /**
     * The server id every peer's election favours when candidates hold the same epoch and last zxid, or
     * {@link #NO_PREFERRED_LEADER}. Read at each comparison, so a change reaches every peer of the ensemble at once.
     */
    long preferredLeader();

    /**
     * ZooKeeper's quorum TLS settings for peer {@code sid}, as {@code zookeeper.ssl.quorum.*} keys and values (key and
     * trust store locations, their password and type, hostname verification), read by the peer at its first TLS socket
     * and again whenever one of the store files changes. Empty: the peer talks to its peers in plain text. Only JDK
     * types cross here, so that the peer may live in a class loader of its own.
     */
    default Map<String, String> quorumTls(long sid) {
        return Map.of();
    }

    /** The key of {@link #quorumSasl}'s answer naming the JAAS section a peer's quorum server logs in with. */
    String QUORUM_SERVER_LOGIN_CONTEXT = "quorum.auth.server.saslLoginContext";

    /** The key of {@link #quorumSasl}'s answer naming the JAAS section a peer's learner logs in with. */
    String QUORUM_LEARNER_LOGIN_CONTEXT = "quorum.auth.learner.saslLoginContext";

    /**
     * The JAAS sections peer {@code sid} authenticates its peers with ({@link #QUORUM_SERVER_LOGIN_CONTEXT}) and
     * itself to them ({@link #QUORUM_LEARNER_LOGIN_CONTEXT}), read when the peer starts. Empty: no quorum SASL.
     */
    default Map<String, String> quorumSasl(long sid) {
        return Map.of();
    }
}
