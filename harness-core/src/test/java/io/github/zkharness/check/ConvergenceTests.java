package io.github.zkharness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.history.History;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;

/** The convergence oracles on real ensembles: identical trees, and no ephemeral without its session. */
class ConvergenceTests {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSettledEnsembleWithEphemeralsOfOpenAndClosedSessionsConverges() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).observers(1).start();
                ZooKeeper open = zk.newZooKeeper()) {
            open.create("/app", bytes("config"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            open.create("/app/member-", bytes("a"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
            open.create(
                    "/app/read-only",
                    bytes("r"),
                    new ArrayList<>(List.of(new ACL(ZooDefs.Perms.READ, new Id("world", "anyone")))),
                    CreateMode.PERSISTENT);
            try (ZooKeeper closed = zk.node(2).newZooKeeper()) {
                closed.create("/app/gone", bytes("b"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            }
            open.setData("/app", bytes("config-2"), -1);

            CheckResult result = Convergence.of(zk).check(new History());

            assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
            assertThat(result.explanation())
                    .isEqualTo("4 znodes identical on all 4 nodes; no tree digest noted in common (ZooKeeper notes one"
                            + " every 128 transactions); every ephemeral's session is alive");
        }
    }

    /**
     * ZooKeeper keeps a settled ensemble's trees equal, so differing trees come from a bug (or a disk the harness did
     * not damage). The comparison is shown here on trees read from a real ensemble, one server's copy then edited
     * as such a bug would leave it: a znode missing, another holding older data.
     */
    @Test
    void differingTreesAreNamedZnodeByZnodeWithWhatEachServerHolds() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = zk.newZooKeeper()) {
            client.create("/x", bytes("1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            client.setData("/x", bytes("2"), -1);
            client.create("/y", bytes("y"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            Convergence read = Convergence.of(zk);
            assertThat(read.check(new History()).verdict()).isEqualTo(Verdict.VALID);

            Map<String, Map<String, Convergence.Znode>> trees = new TreeMap<>();
            read.trees().forEach((node, tree) -> trees.put(node, new TreeMap<>(tree)));
            Convergence.Znode x = trees.get("node-2").get("/x");
            trees.get("node-2").put("/x", new Convergence.Znode("\"1\"", 0, x.acl(), x.czxid(), x.czxid(), 0));
            trees.get("node-3").remove("/y");
            CheckResult result = new Convergence(trees, List.of(), "").check(new History());

            assertThat(result.verdict()).isEqualTo(Verdict.INVALID);
            assertThat(result.explanation())
                    .startsWith(
                            "2 znodes differ between servers once the ensemble settled:\n  /x: [node-1, node-3] hold"
                                    + " data \"2\", version 1, acl [world:anyone:31], created in 0x")
                    .contains("; [node-2] hold data \"1\", version 0,")
                    .contains("\n  /y: [node-1, node-2] hold data \"y\", version 0")
                    .endsWith("; [node-3] lack it");
        }
    }

    /**
     * ZooKeeper notes the digest of its whole tree after every 128th transaction; servers that agree note the same
     * digests. A difference, as a bug would leave it, is named by the oldest transaction after which the digests
     * differ, with which servers noted which digest, even when the trees read the same now.
     */
    @Test
    void zooKeepersOwnTreeDigestsAreComparedAndTheOldestTransactionAfterWhichTheyDifferIsNamed() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = zk.newZooKeeper()) {
            for (int i = 0; i < 300; i++) {
                client.create("/n" + i, bytes("v"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            Convergence read = Convergence.of(zk);
            CheckResult valid = read.check(new History());
            assertThat(valid.verdict()).as(valid.toString()).isEqualTo(Verdict.VALID);
            assertThat(valid.explanation())
                    .isEqualTo("301 znodes identical on all 3 nodes; ZooKeeper's tree digests agree after the 2"
                            + " transactions noted in common; every ephemeral's session is alive");

            long first = 0x100000080L;
            long second = 0x100000100L;
            Map<String, Map<Long, Long>> digests = new TreeMap<>();
            digests.put("node-1", Map.of(first, 11L, second, 21L));
            digests.put("node-2", Map.of(first, 12L, second, 22L));
            digests.put("node-3", Map.of(first, 11L, second, 21L));
            CheckResult invalid = new Convergence(read.trees(), List.of(), "", digests).check(new History());

            assertThat(invalid.verdict()).isEqualTo(Verdict.INVALID);
            assertThat(invalid.explanation())
                    .isEqualTo("ZooKeeper's tree digests differ after 2 of the 2 transactions the servers noted in"
                            + " common once the ensemble settled:\n  ZooKeeper's tree digest after transaction"
                            + " 0x100000080: [node-1, node-3] 11, [node-2] 12 (the oldest of 2 such transactions)");
        }
    }

    @Test
    void withoutDumpAmongTheFourLetterWordsEphemeralsAreNotCheckedAndTheVerdictSaysSo() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                        .voters(3)
                        .fourLetterWords("srvr", "mntr", "ruok", "stat", "conf")
                        .start();
                ZooKeeper client = zk.newZooKeeper()) {
            client.create("/e", bytes("1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

            CheckResult result = Convergence.of(zk).check(new History());

            assertThat(result.verdict()).isEqualTo(Verdict.VALID);
            assertThat(result.explanation())
                    .isEqualTo("2 znodes identical on all 3 nodes; digests not compared: the ensemble's four-letter"
                            + " words leave out hash; ephemerals not checked: the ensemble's four-letter words leave"
                            + " out dump");
        }
    }

    @Test
    void aNodeThatDoesNotServeIsRefusedByName() {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start()) {
            ZkNode follower = zk.followers().get(0).stop();
            assertThatThrownBy(() -> Convergence.of(zk))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("convergence reads every node, but node " + follower.id()
                            + " is STOPPED; restart() them and awaitServing() first");
            assertThatThrownBy(() -> Convergence.of(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("zk must not be null");
        }
    }
}
