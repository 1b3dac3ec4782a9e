package io.github.zkharness.junit5;

import org.apiguardian.api.API;

/**
 * The state of a test's ensemble at the moment the test failed, attached to the failure as a suppressed exception
 * (so that it appears in the failure's stack trace and in surefire's report) and published as the report entry
 * {@value #REPORT_KEY}. It carries no stack trace of its own: its message is the point.
 *
 * <p>The message lists each node's role, state, last zxid and ZooKeeper version; for each running node the essentials {@code mntr}
 * would show ({@code zk_server_state}, {@code zk_znode_count}, {@code zk_outstanding_requests}, and
 * {@code zk_followers}/{@code zk_synced_followers} on the leader), taken from the server's own {@code srvr}
 * answer and the harness because ZooKeeper keeps mntr's gauges JVM-wide; the faults in force; and each node's last
 * log lines when logback is the logging backend:
 *
 * <pre>
 * zk-harness-4 when com.example.LockTests#survivesLeaderCrash(ZooKeeper) failed:
 *   node 1: LEADER, RUNNING, serving, last zxid 0x100000004, ZooKeeper 3.9.5
 *     stats: zk_server_state=leader zk_znode_count=6 zk_outstanding_requests=0 zk_followers=1 zk_synced_followers=1
 *   node 2: FOLLOWER, RUNNING, serving, last zxid 0x100000004, ZooKeeper 3.9.5
 *     stats: zk_server_state=follower zk_znode_count=6 zk_outstanding_requests=0
 *   node 3: STOPPED, KILLED, last zxid 0x100000003, ZooKeeper 3.9.5
 *   faults:
 *     - cut clients of node 2
 *   last 50 log lines of node 1:
 *     12:00:01.234 WARN [RecvWorker:3] QuorumCnxManager - Connection broken for id 3, my id = 1 | ...
 *   ...
 * </pre>
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public final class ZkClusterDiagnostics extends RuntimeException {

    /** The key of the report entry that carries the same text. */
    public static final String REPORT_KEY = "zk-harness";

    private static final long serialVersionUID = 1L;

    ZkClusterDiagnostics(String state) {
        super(state, null, false, false);
    }
}
