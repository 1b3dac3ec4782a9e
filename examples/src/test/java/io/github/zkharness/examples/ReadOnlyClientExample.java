package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.Fault;
import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.check.ZooKeeperConsistency;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.ZkRegisterClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * What a read-only client sees during a partition and after it. In ZooKeeper's read-only mode
 * ({@code readOnlyMode(true)}, ZooKeeper's {@code readonlymode.enabled}) a server cut off from its quorum does not
 * stop serving altogether: it answers clients that asked for it ({@code canBeReadOnly}) from the state it had when it
 * lost the quorum, and refuses every write with {@code NotReadOnly}. Meanwhile the majority goes on writing, so what
 * the read-only client reads may be stale by any amount: the history recorder marks such reads
 * ({@link OpKind#READ_ONLY_READ}) and the checkers hold them to returning a value that was written, nothing more.
 *
 * <p>A read-only server accepts only local sessions, which the harness turns on with read-only mode. After the heal the
 * server rejoins, the client reconnects read-write, and its first ephemeral upgrades its local session to a global
 * one that every server knows. Curator reports the read-only connection as {@link ConnectionState#READ_ONLY}.
 */
class ReadOnlyClientExample {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aReadOnlyClientReadsStaleValuesCannotWriteAndIsUpgradedAfterTheHeal() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).readOnlyMode(true).start();
                ZooKeeper viaLeader = zk.leader().newZooKeeper()) {
            ZkRegisterClient writer = new ZkRegisterClient(viaLeader, 1, history, "/register");
            writer.write("config", "v1");
            ZkNode cutOff = zk.followers().get(0);
            long v1 = viaLeader.exists("/register/config", false).getMzxid();
            zk.await(
                    "node " + cutOff.id() + " has v1",
                    WAIT,
                    () -> cutOff.status().lastZxid() >= v1);

            Fault partition = zk.network().isolate(cutOff);
            cutOff.awaitRole(Role.READ_ONLY, WAIT); // no quorum: read-only, not down
            CopyOnWriteArrayList<KeeperState> states = new CopyOnWriteArrayList<>();
            CopyOnWriteArrayList<ConnectionState> curatorStates = new CopyOnWriteArrayList<>();
            try (ZooKeeper reader = new ZooKeeper(cutOff.connectString(), 30_000, e -> states.add(e.getState()), true);
                    CuratorFramework curator = CuratorFrameworkFactory.builder()
                            .connectString(cutOff.connectString())
                            .canBeReadOnly(true)
                            .retryPolicy(new RetryOneTime(100))
                            .build()) {
                curator.getConnectionStateListenable().addListener((c, s) -> curatorStates.add(s));
                curator.start();
                await("both clients connected read-only to node " + cutOff.id())
                        .atMost(WAIT)
                        .until(() -> states.contains(KeeperState.ConnectedReadOnly)
                                && curatorStates.contains(ConnectionState.READ_ONLY));

                // during the partition: the majority writes v2, the read-only side still reads v1
                writer.write("config", "v2");
                Operation stale = new ZkRegisterClient(reader, 2, history, "/register").read("config");
                assertThat(stale.kind()).isEqualTo(OpKind.READ_ONLY_READ);
                assertThat(stale.result()).isEqualTo("v1");
                assertThat(curator.getData().forPath("/register/config"))
                        .asString()
                        .isEqualTo("v1");
                // every write is refused, an ephemeral included
                assertThatThrownBy(() -> reader.setData("/register/config", "v3".getBytes(StandardCharsets.UTF_8), -1))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);
                assertThatThrownBy(() ->
                                curator.create().withMode(CreateMode.EPHEMERAL).forPath("/worker"))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);

                curator.close(); // Curator's part ends with the partition

                // after the heal: the node rejoins, the client reconnects read-write
                partition.heal();
                cutOff.awaitRole(Role.FOLLOWER, WAIT);
                await("the ZooKeeper client connected read-write to node " + cutOff.id() + " again")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> states.get(states.size() - 1) == KeeperState.SyncConnected);
                assertThat(reader.getData("/register/config", false, null))
                        .asString()
                        .isEqualTo("v2");
                // the first ephemeral upgrades the local session to a global one: another client sees its owner
                reader.create("/worker", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                // the create returns once the reader's server applied it; the leader may apply it a moment later:
                // a client of another server waits for it rather than reading once (reads are not linearizable)
                Stat worker = await("the ephemeral, seen through the leader")
                        .atMost(WAIT)
                        .until(() -> viaLeader.exists("/worker", false), Objects::nonNull);
                assertThat(worker.getEphemeralOwner()).isEqualTo(reader.getSessionId());
            }
        }
        // the stale read is what ZooKeeper allows of a read-only server, and the documented check says so
        CheckResult documented = ZooKeeperConsistency.of().check(history);
        assertThat(documented.verdict()).as(documented.toString()).isEqualTo(Verdict.VALID);
        assertThat(history.operations())
                .extracting(Operation::kind)
                .containsExactly(OpKind.WRITE, OpKind.WRITE, OpKind.READ_ONLY_READ);
    }
}
