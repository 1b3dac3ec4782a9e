package io.github.zkharness.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.testkit.Clients;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;

/** SASL (DIGEST-MD5) clients of an ensemble built with saslUser(...): identities, sasl ACLs, AuthFailed, reset. */
class SaslEnsembleTests {

    // not List.of: ZooKeeper asks the list whether it contains null
    private static final List<ACL> ALICE_ONLY =
            Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("sasl", "alice")));

    @Test
    void aSaslAclAdmitsItsUserOnlyAndResetStillClearsIt() throws Exception {
        Configuration before = jaasOrNull();
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(3)
                .saslUser("alice", "alice-secret")
                .saslUser("bob", "bob-secret")
                .start()) {
            try (ZooKeeper alice = connect(zk, zk.saslClientConfig("alice", "alice-secret"))) {
                alice.create("/private", "a".getBytes(StandardCharsets.UTF_8), ALICE_ONLY, CreateMode.PERSISTENT);
                assertEquals("a", Clients.read(alice, "/private"));
            }
            try (ZooKeeper bob = connect(zk, zk.saslClientConfig("bob", "bob-secret"));
                    ZooKeeper anonymous = zk.newZooKeeper()) {
                assertThrows(KeeperException.NoAuthException.class, () -> bob.getData("/private", false, null));
                assertThrows(KeeperException.NoAuthException.class, () -> anonymous.getData("/private", false, null));
            }
            zk.reset(); // the harness's super user clears it
            try (ZooKeeper anonymous = zk.newZooKeeper()) {
                assertNull(anonymous.exists("/private", false));
            }
        }
        assertSame(before, jaasOrNull(), "the JVM's JAAS configuration was not put back");
        assertNull(System.getProperty("zookeeper.authProvider.sasl"));
    }

    @Test
    void aWrongPasswordOrAnUnknownUserGetsAuthFailed() throws Exception {
        try (ZkEnsemble zk =
                ZkEnsemble.builder().voters(1).saslUser("alice", "alice-secret").start()) {
            assertAuthFailed(zk, zk.saslClientConfig("alice", "not-her-password"));
            assertAuthFailed(zk, zk.saslClientConfig("mallory", "anything"));
        }
    }

    @Test
    void twoEnsemblesWithUsersOfTheirOwnRunSideBySide() throws Exception {
        try (ZkEnsemble a = ZkEnsemble.builder()
                        .voters(1)
                        .saslUser("alice", "a-secret")
                        .start();
                ZkEnsemble b = ZkEnsemble.builder()
                        .voters(1)
                        .saslUser("bob", "b-secret")
                        .start()) {
            try (ZooKeeper alice = connect(a, a.saslClientConfig("alice", "a-secret"));
                    ZooKeeper bob = connect(b, b.saslClientConfig("bob", "b-secret"))) {
                assertEquals(ZooKeeper.States.CONNECTED, alice.getState());
                assertEquals(ZooKeeper.States.CONNECTED, bob.getState());
            }
            assertAuthFailed(b, b.saslClientConfig("alice", "a-secret")); // alice is a user of a only
        }
    }

    @Test
    void saslWorksOverTls() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder()
                .voters(1)
                .tls(true)
                .saslUser("alice", "alice-secret")
                .start()) {
            try (ZooKeeper alice = connect(zk, zk.saslClientConfig("alice", "alice-secret"))) {
                alice.create("/tls-and-sasl", new byte[0], ALICE_ONLY, CreateMode.PERSISTENT);
                assertTrue(alice.getClientConfig().getBoolean(ZKClientConfig.SECURE_CLIENT));
            }
        }
    }

    @Test
    void badInputGetsClearErrors() {
        IllegalArgumentException noPassword = assertThrows(
                IllegalArgumentException.class, () -> ZkEnsemble.builder().saslUser("alice", ""));
        assertThat(noPassword.getMessage()).contains("alice needs a password");
        assertThrows(NullPointerException.class, () -> ZkEnsemble.builder().saslUser("alice", null));
        assertThrows(IllegalArgumentException.class, () -> ZkEnsemble.builder().saslUser("al ice", "x"));
        try (ZkEnsemble plain = ZkEnsemble.builder().voters(1).start()) {
            IllegalStateException none =
                    assertThrows(IllegalStateException.class, () -> plain.saslClientConfig("alice", "x"));
            assertThat(none.getMessage()).contains("without SASL users");
        }
    }

    private static Configuration jaasOrNull() {
        try {
            return Configuration.getConfiguration();
        } catch (SecurityException e) {
            return null;
        }
    }

    private static ZooKeeper connect(ZkEnsemble zk, ZKClientConfig config) throws Exception {
        BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
        ZooKeeper client = new ZooKeeper(zk.connectString(), 30_000, e -> states.add(e.getState()), config);
        // DIGEST-MD5 clients see SyncConnected, then SaslAuthenticated once the server accepted them
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; ) {
            Watcher.Event.KeeperState s = states.poll(100, TimeUnit.MILLISECONDS);
            if (s == Watcher.Event.KeeperState.SaslAuthenticated) {
                return client;
            }
            if (s == Watcher.Event.KeeperState.AuthFailed) {
                client.close();
                throw new AssertionError("authentication failed: " + zk.describe());
            }
        }
        client.close();
        throw new AssertionError("no SaslAuthenticated within 20 s: " + zk.describe());
    }

    private static void assertAuthFailed(ZkEnsemble zk, ZKClientConfig config) throws Exception {
        BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
        ZooKeeper client = new ZooKeeper(zk.connectString(), 30_000, e -> states.add(e.getState()), config);
        try {
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; ) {
                Watcher.Event.KeeperState s = states.poll(100, TimeUnit.MILLISECONDS);
                if (s == Watcher.Event.KeeperState.AuthFailed) {
                    return;
                }
                if (s == Watcher.Event.KeeperState.SaslAuthenticated) {
                    throw new AssertionError("authenticated with " + config.getProperty("zookeeper.sasl.clientconfig"));
                }
            }
            throw new AssertionError("no AuthFailed within 20 s; states seen: " + states);
        } finally {
            client.close(1_000);
        }
    }
}
