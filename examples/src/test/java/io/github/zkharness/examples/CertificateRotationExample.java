package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.Fault;
import io.github.zkharness.ZkCertificate;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Linearizability;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.history.History;
import io.github.zkharness.history.ZkRegisterClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A rolling certificate rotation rehearsed under load: each node in turn gets a fresh certificate written over its
 * key store, as a deployment tool would, and its quorum connections are then remade (here by cutting it off and
 * healing; the leader hands its role to another node first), so that its next handshakes use the new certificate; no
 * node restarts. Two recorded clients write and read all along, and the history stays linearizable: a rotation done
 * one node at a time never costs the ensemble its quorum. (Cutting off the leader itself would not do: until it
 * notices, it answers {@code sync()} alone, and a client of it can read a value the new leader has already replaced,
 * which a CI run of this example once showed.)
 */
class CertificateRotationExample {

    @Test
    void aRollingRotationUnderLoadKeepsTheHistoryLinearizable() throws Exception {
        History history = new History();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).tls(true).start();
                ZooKeeper writerClient = zk.newZooKeeper();
                ZooKeeper readerClient = zk.newZooKeeper()) {
            ZkRegisterClient writer = new ZkRegisterClient(writerClient, 1, history, "/register");
            ZkRegisterClient reader = new ZkRegisterClient(readerClient, 2, history, "/register");
            AtomicBoolean running = new AtomicBoolean(true);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                for (int i = 0; running.get(); i++) {
                    writer.write("x", String.valueOf(i));
                    reader.read("x", true);
                }
            });

            for (ZkNode node : zk.nodes()) {
                int before = history.operations().size();
                zk.await( // the load runs across every rotation, however slow the machine
                        "two more operations before node " + node.id() + "'s rotation",
                        () -> history.operations().size() >= before + 2);
                zk.tls().replaceNodeCertificate(node, ZkCertificate.VALID); // a fresh certificate, same CA
                if (node.equals(zk.leader())) {
                    // an isolated leader answers sync() itself until it notices the cut, so a client of it could
                    // read stale data (ZooKeeper's sync is not a quorum operation): the node follows when cut off
                    zk.moveLeader(zk.nodes().stream()
                            .filter(n -> !n.equals(node))
                            .findFirst()
                            .orElseThrow());
                }
                try (Fault reconnect = zk.network().isolate(node)) {
                    zk.await(
                            "node " + node.id() + " notices the cut",
                            () -> !node.status().serving());
                } // healed: its new connections present the new certificate
                zk.awaitServing();
            }
            running.set(false);
            load.get(30, TimeUnit.SECONDS);
        }
        CheckResult result = Linearizability.register().check(history);
        assertThat(result.verdict()).as(result.toString()).isEqualTo(Verdict.VALID);
        assertThat(history.operations()).hasSizeGreaterThanOrEqualTo(6);
    }
}
