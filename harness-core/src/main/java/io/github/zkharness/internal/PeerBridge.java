package io.github.zkharness.internal;

import io.github.zkharness.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apiguardian.api.API;

/**
 * The narrow bridge between the harness and one run of one ZooKeeper server. The harness talks to a server only
 * through it (and the server to the harness only through {@link PeerWiring}), so that the server's classes may load
 * in a class loader of the node's own ({@link ServerCode}): only JDK types and harness types that name no ZooKeeper
 * type cross it. Implemented on the ZooKeeper side by {@code io.github.zkharness.internal.server.ServerPeer}, which
 * is loaded in the server's loader; every method is called by the harness, from any thread.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface PeerBridge {

    /**
     * Binds the client port (port 0: any free port). Called once, first. With {@code tls}, the port talks TLS
     * (ZooKeeper's Netty factory, certificates from the JVM-wide settings {@code JvmGlobals} made), and with
     * {@code plainToo} also takes plain clients on the same port.
     */
    void bind(long id, InetSocketAddress clientBind, ServerSettings settings, boolean tls, boolean plainToo)
            throws IOException;

    /** The address the server really listens on for clients. */
    InetSocketAddress boundClientAddress();

    /** Builds the peer and starts it; returns once its ports are bound and election has begun. */
    void start(PeerProcess.Spec spec, PeerWiring wiring) throws IOException;

    /** The role ZooKeeper reports now; {@link Role#STOPPED} once shut down or before the start. */
    Role role();

    /** Whether it accepts client requests now. */
    boolean serving();

    /** Whether it leads and its quorum port is bound. */
    boolean listensAsLeader();

    /** Whether the peer was started and has not been shut down. */
    boolean running();

    /** The id this peer believes leads, or -1. */
    long leaderId();

    /** The last transaction applied to its in-memory database. */
    long lastZxid();

    /** Its current epoch. */
    long epoch();

    /** The ZooKeeper version of this server's classes, as ZooKeeper reports it (e.g. {@code 3.9.5}). */
    String version();

    /**
     * The configuration the peer has committed: server id to {@code true} for a voter, {@code false} for an
     * observer; null while it does not run.
     */
    Map<Long, Boolean> committedMembers();

    /** The storage crashes now: nothing more reaches its files. */
    void crash();

    /** After {@link #crash()} and {@link #shutdown}: a power loss; see {@code NodeStorage#losePower}. */
    List<UnsyncedTail.Cut> losePower(Random survival, Random snapshotSurvival) throws IOException;

    /** Shuts the peer down and waits (bounded) for its main thread; without a peer, closes the client port. */
    void shutdown(Duration timeout);

    /** Gives the server-side connection of {@code sessionId} super-user rights; false if it holds none (yet). */
    boolean grantSuperUser(long sessionId);

    /** Whether the running server holds a client connection of {@code sessionId} now. */
    boolean holdsSession(long sessionId);

    /** Closes the server-side connection of {@code sessionId}, as a dropped TCP connection would; false if none. */
    boolean dropConnection(long sessionId);

    /** Whether the running server tracks session {@code sessionId} (on the leader: every global session). */
    boolean tracksSession(long sessionId);

    /** Expires session {@code sessionId} as the session tracker would. */
    void expireSession(long sessionId);

    /** Zeroes what {@code srvr}, {@code stat} and {@code cons} count, and puts back ZooKeeper's trace mask. */
    void resetStatistics();

    /** ZooKeeper's own peer object, for the harness's tests on the shared runtime; null before the start. */
    Object zooKeeperPeer();
}
