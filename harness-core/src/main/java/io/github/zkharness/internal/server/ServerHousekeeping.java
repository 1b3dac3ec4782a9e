package io.github.zkharness.internal.server;

import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.ZooTrace;
import org.apiguardian.api.API;

/**
 * What the harness does to a running server beside the client protocol: giving its own sessions super-user
 * rights, and undoing the side effects a test can leave through four-letter words. Pinned by
 * {@code ZooKeeperContractTest}.
 *
 * <p>Super user: ZooKeeper's ACL check lets any connection whose authentication list holds an id of scheme
 * {@code super} do anything ({@code ZooKeeperServer.checkACL}), and every request carries its connection's list
 * ({@code ServerCnxn.getAuthInfo}, public, as is {@code addAuthInfo}). ZooKeeper itself adds such an id for a
 * SASL super user. The harness adds one to the server-side connection of its own sessions, so it needs no
 * password and no JVM-wide {@code superDigest}, and no client can claim it.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ServerHousekeeping {

    /** ZooKeeper's initial trace mask, as {@code ZooTrace} sets it (pinned by the contract test). */
    static final long DEFAULT_TRACE_MASK = ZooTrace.CLIENT_REQUEST_TRACE_MASK
            | ZooTrace.SERVER_PACKET_TRACE_MASK
            | ZooTrace.SESSION_TRACE_MASK
            | ZooTrace.WARNING_TRACE_MASK;

    private static final Id HARNESS_SUPER_USER = new Id("super", "zk-harness");

    private ServerHousekeeping() {}

    /**
     * Gives the connection of session {@code sessionId} on {@code server} super-user rights.
     *
     * @return false if {@code server} has no connection of that session (yet)
     */
    public static boolean grantSuperUser(ZooKeeperServer server, long sessionId) {
        ServerCnxnFactory factory = clientFactory(server);
        if (factory == null) {
            return false;
        }
        for (ServerCnxn cnxn : factory.getConnections()) {
            if (cnxn.getSessionId() == sessionId) {
                cnxn.addAuthInfo(HARNESS_SUPER_USER);
                return true;
            }
        }
        return false;
    }

    /**
     * The factory of {@code server}'s client port: ZooKeeper files a TLS-only factory as the secure one (a TLS
     * ensemble's), any other as the plain one. Null while the server has none.
     */
    public static ServerCnxnFactory clientFactory(ZooKeeperServer server) {
        ServerCnxnFactory plain = server.getServerCnxnFactory();
        return plain != null ? plain : server.getSecureServerCnxnFactory();
    }

    /** Whether {@code server} holds a client connection of session {@code sessionId} now. */
    public static boolean holdsSession(ZooKeeperServer server, long sessionId) {
        ServerCnxnFactory factory = clientFactory(server);
        if (factory == null) {
            return false;
        }
        for (ServerCnxn cnxn : factory.getConnections()) {
            if (cnxn.getSessionId() == sessionId) {
                return true;
            }
        }
        return false;
    }

    /** Zeroes what {@code srvr}, {@code stat} and {@code cons} count, as {@code srst} and {@code crst} do. */
    public static void resetStatistics(ZooKeeperServer server) {
        server.serverStats().reset();
        ServerCnxnFactory factory = clientFactory(server);
        if (factory != null) {
            factory.resetAllConnectionStats();
        }
    }

    /**
     * Puts back ZooKeeper's trace mask, which {@code stmk} changes for every server of the JVM (it is static).
     */
    public static void restoreTraceMask() {
        ZooTrace.setTextTraceLevel(DEFAULT_TRACE_MASK);
    }
}
