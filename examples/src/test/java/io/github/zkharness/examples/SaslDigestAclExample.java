package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;

/**
 * SASL DIGEST-MD5 with an ACL: a client that logged in as {@code alice} owns a znode whose ACL names
 * {@code sasl:alice}; {@code bob}, logged in too, gets {@code NoAuth}, and a client with a wrong password is not let in
 * at all: its watcher sees {@code AuthFailed} (a client must watch for it: the constructor does not throw). The
 * harness serves the JAAS sections; a production client gets them from a {@code jaas.conf} section
 * ({@code org.apache.zookeeper.server.auth.DigestLoginModule required username=... password=...;}) named by
 * {@code zookeeper.sasl.clientconfig}.
 */
class SaslDigestAclExample {

    @Test
    void onlyTheUserTheAclNamesMayReadAndAWrongPasswordIsAuthFailed() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .saslUser("alice", "alice-secret")
                .saslUser("bob", "bob-secret")
                .start()) {
            List<ACL> aliceOnly = Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("sasl", "alice")));
            try (ZooKeeper alice =
                            open(zk, zk.saslClientConfig("alice", "alice-secret"), KeeperState.SaslAuthenticated);
                    ZooKeeper bob = open(zk, zk.saslClientConfig("bob", "bob-secret"), KeeperState.SaslAuthenticated)) {
                alice.create("/payroll", "42".getBytes(StandardCharsets.UTF_8), aliceOnly, CreateMode.PERSISTENT);
                assertThat(new String(alice.getData("/payroll", false, null), StandardCharsets.UTF_8))
                        .isEqualTo("42");
                // bob's client may be on another server, which applies alice's create a moment later and answers
                // NoNode until then: ask again for up to 10 s until the answer is NoAuth, the ACL's refusal
                await("bob refused /payroll by its ACL")
                        .atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThatThrownBy(() -> bob.getData("/payroll", false, null))
                                .isInstanceOf(KeeperException.NoAuthException.class));
            }
            try (ZooKeeper intruder = open(zk, zk.saslClientConfig("alice", "guessed"), KeeperState.AuthFailed)) {
                assertThat(intruder.getState()).isEqualTo(ZooKeeper.States.AUTH_FAILED);
            }
        }
    }

    /** A client, once its watcher saw {@code expected} (within 20 s). */
    private static ZooKeeper open(ZkEnsemble zk, ZKClientConfig config, KeeperState expected) throws Exception {
        BlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();
        ZooKeeper client = new ZooKeeper(zk.connectString(), 30_000, event -> states.add(event.getState()), config);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (states.poll(100, TimeUnit.MILLISECONDS) == expected) {
                return client;
            }
        }
        client.close();
        throw new AssertionError("the client's watcher never saw " + expected + " within 20 s; " + zk.describe());
    }
}
