package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.ZkEnsemble;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The lesson of a client with the wrong trust store: nothing fails loudly. The constructor returns, the client sits in
 * {@code CONNECTING}, retries the TLS handshake against every server and never gets a session; no exception reaches
 * the caller, only ZooKeeper's log says why ("PKIX path building failed"). A service that waits for its connection
 * without a timeout hangs at startup. The fix is the trust store that holds the servers' CA.
 */
class WrongTrustStoreExample {

    @Test
    void aClientWithTheWrongTrustStoreWaitsForeverInConnecting() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).tls(true).start()) {
            ZKClientConfig wrong = zk.tls().clientConfig();
            wrong.setProperty(
                    "zookeeper.ssl.trustStore.location",
                    zk.tls().unrelatedTrustStore().toString()); // a CA that signed none of the servers

            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper client = new ZooKeeper(zk.connectString(), 30_000, connectedTo(connected), wrong);
            try {
                assertThat(connected.await(Duration.ofSeconds(3).toMillis(), TimeUnit.MILLISECONDS))
                        .as("a client that trusts the wrong CA never connects")
                        .isFalse();
                assertThat(client.getState()).isEqualTo(ZooKeeper.States.CONNECTING);
            } finally {
                client.close(1_000);
            }

            CountDownLatch fixed = new CountDownLatch(1);
            ZooKeeper right = new ZooKeeper(
                    zk.connectString(), 30_000, connectedTo(fixed), zk.tls().clientConfig());
            try {
                assertThat(fixed.await(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                right.close();
            }
        }
    }

    private static Watcher connectedTo(CountDownLatch latch) {
        return event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                latch.countDown();
            }
        };
    }
}
