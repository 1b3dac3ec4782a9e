package io.github.zkharness.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.Role;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.List;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Quorum SASL (DIGEST-MD5 between peers): required both ways, a node with a wrong password kept out, hygiene. */
class QuorumSaslTests {

    private static final Duration REFUSED_FOR = Duration.ofSeconds(3);
    private static final String FIPS_MODE = "zookeeper.fips-mode";

    @ParameterizedTest(name = "the {0} gets a wrong password")
    @ValueSource(strings = {"leader", "follower"})
    void aNodeWithAWrongQuorumPasswordStaysOutWhileTheOthersServe(String which) throws Exception {
        Configuration before = jaasOrNull();
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).quorumSasl(true).start()) {
            assertEquals("false", System.getProperty(FIPS_MODE), "ZooKeeper 3.9 refuses DIGEST-MD5 in FIPS mode");
            ZkNode bad =
                    which.equals("leader") ? zk.awaitLeader() : zk.followers().get(0);
            zk.replaceQuorumPassword(bad, "not-the-quorum-password");
            bad.kill().restart();
            try (ZooKeeper client = zk.newZooKeeper(
                    zk.connectStringOf(zk.nodes().stream().filter(n -> n != bad).toList()))) {
                for (int i = 0; i < 10; i++) {
                    Clients.create(client, "/while-" + i, "x"); // the two others are a quorum
                }
            }
            // several election rounds: every connection it opens or accepts fails its authentication
            await("node " + bad.id() + " kept out")
                    .during(REFUSED_FOR)
                    .atMost(REFUSED_FOR.plusSeconds(5))
                    .untilAsserted(() -> assertEquals(
                            Role.LOOKING,
                            bad.status().role(),
                            "the node with a wrong quorum password joined: " + zk.describe()));
            zk.replaceQuorumPassword(bad, zk.quorumPassword()); // the right one again: it rejoins
            bad.kill().restart();
            bad.awaitServing();
            try (ZooKeeper client = zk.newZooKeeper(zk.connectStringOf(List.of(bad)))) {
                assertEquals("x", Clients.read(client, "/while-9"));
            }
        }
        assertSame(before, jaasOrNull(), "the JVM's JAAS configuration was not put back");
        assertNull(System.getProperty(FIPS_MODE), "zookeeper.fips-mode was not removed");
    }

    @Test
    void quorumSaslWorksWithTlsAndNodesAddedAtRuntime() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(3).tls(true).quorumSasl(true).start()) {
            ZkNode observer = zk.addObserver();
            ZkNode voter = zk.addVoter();
            observer.awaitServing();
            voter.awaitServing();
            assertEquals(Role.OBSERVER, observer.status().role());
            try (ZooKeeper client = zk.newZooKeeper(zk.connectStringOf(List.of(voter)))) {
                Clients.create(client, "/secured", "s");
            }
            try (ZooKeeper client = zk.newZooKeeper(zk.connectStringOf(List.of(observer)))) {
                client.sync("/secured", null, null);
                await("the observer sees /secured")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> client.exists("/secured", false) != null);
            }
            zk.leader().kill();
            ZkNode next = zk.awaitLeader();
            assertTrue(next.status().serving(), zk.describe());
        }
    }

    @Test
    void badInputIsRefusedWithWhatToDo() throws Exception {
        try (ZkEnsemble plain = ZkEnsemble.builder().voters(1).start()) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> plain.replaceQuorumPassword(plain.node(1), "x"));
            assertTrue(e.getMessage().contains("quorumSasl(true)"), e.getMessage());
            assertThrows(IllegalStateException.class, plain::quorumPassword);
        }
        ZkEnsemble notStarted = ZkEnsemble.builder().voters(1).quorumSasl(true).build();
        assertThrows(IllegalStateException.class, notStarted::quorumPassword);
        notStarted.close();
        try (ZkEnsemble a = ZkEnsemble.builder().voters(1).quorumSasl(true).start();
                ZkEnsemble b = ZkEnsemble.builder().voters(1).start()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> a.replaceQuorumPassword(b.node(1), "x"));
            assertTrue(e.getMessage().contains("belongs to " + b.name()), e.getMessage());
            assertThrows(NullPointerException.class, () -> a.replaceQuorumPassword(a.node(1), null));
        }
        System.setProperty(FIPS_MODE, "true");
        try (ZkEnsemble fips = ZkEnsemble.builder().voters(1).quorumSasl(true).build()) {
            ZkStartException e = assertThrows(ZkStartException.class, fips::start);
            assertTrue(
                    e.getMessage().contains("zookeeper.fips-mode=true makes ZooKeeper 3.9 refuse DIGEST-MD5"),
                    e.getMessage());
        } finally {
            System.clearProperty(FIPS_MODE);
        }
    }

    @Test
    void aQuorumSaslEnsembleAndAPlainOneRunSideBySide() throws Exception {
        try (ZkEnsemble secured =
                        ZkEnsemble.builder().voters(3).quorumSasl(true).start();
                ZkEnsemble plain = ZkEnsemble.builder().voters(3).start()) {
            for (ZkEnsemble zk : new ZkEnsemble[] {secured, plain}) {
                try (ZooKeeper client = zk.newZooKeeper()) {
                    Clients.create(client, "/side-by-side", zk.name());
                }
            }
            plain.leader().kill().restart();
            plain.awaitLeader();
            assertFalse(secured.describe().contains("LOOKING"), secured.describe());
        }
    }

    private static Configuration jaasOrNull() {
        try {
            return Configuration.getConfiguration();
        } catch (SecurityException e) {
            return null;
        }
    }
}
