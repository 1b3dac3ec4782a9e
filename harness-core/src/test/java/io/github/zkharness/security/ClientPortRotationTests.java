package io.github.zkharness.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.zkharness.ZkCertificate;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkRuntime;
import io.github.zkharness.testkit.Clients;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rotating the client ports' certificate ({@code ZkTls.replaceClientPortCertificate}): the next connection gets the
 * new one, without a restart, while connected clients keep their sessions.
 */
class ClientPortRotationTests {

    private static final Duration REFUSED_FOR = Duration.ofSeconds(3);

    @ParameterizedTest(name = "{0} on the {1} runtime")
    @CsvSource({"EXPIRED, SHARED", "UNTRUSTED, SHARED", "WRONG_HOST, SHARED", "UNTRUSTED, ISOLATED"})
    void aBadCertificateRefusesNewClientsUntilAValidOneIsRotatedIn(ZkCertificate bad, ZkRuntime runtime)
            throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                        .voters(3)
                        .runtime(runtime)
                        .tls(true)
                        .start();
                ZooKeeper before = zk.newZooKeeper()) {
            Clients.create(before, "/before", "x");
            zk.tls().replaceClientPortCertificate(bad);
            Set<Watcher.Event.KeeperState> seen = ConcurrentHashMap.newKeySet();
            try (ZooKeeper after = new ZooKeeper(
                    zk.connectString(),
                    30_000,
                    e -> seen.add(e.getState()),
                    zk.tls().clientConfig())) {
                // every server presents the bad certificate to a new connection: the handshake fails each time
                await("a client that never connects")
                        .during(REFUSED_FOR)
                        .atMost(REFUSED_FOR.plusSeconds(5))
                        .untilAsserted(() -> assertFalse(
                                seen.contains(Watcher.Event.KeeperState.SyncConnected),
                                "a new client connected to a client port presenting a " + bad + " certificate"));
                Clients.create(before, "/during", "y"); // the session of before keeps its connection
                zk.tls().replaceClientPortCertificate(ZkCertificate.VALID);
                await("the waiting client connects once a valid certificate is back; nodes: " + zk.describe())
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> seen.contains(Watcher.Event.KeeperState.SyncConnected));
                after.sync("/", (rc, path, ctx) -> {}, null);
                assertEquals("y", Clients.read(after, "/during"));
            }
        }
    }
}
