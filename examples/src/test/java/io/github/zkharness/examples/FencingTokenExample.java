package io.github.zkharness.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Fencing;
import io.github.zkharness.check.Verdict;
import io.github.zkharness.curator.RecordingMutex;
import io.github.zkharness.curator.ZkCurator;
import io.github.zkharness.history.History;
import io.github.zkharness.junit5.ZkCluster;
import io.github.zkharness.junit5.ZkTimelines;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;

/**
 * A correct ZooKeeper lock is still not enough: a holder can only check that it holds the lock before it acts, and
 * between its check and its write the world may move on. Here process 1 holds Curator's {@code InterProcessMutex},
 * checks {@code holds()}, and pauses before writing (a GC pause, a slow disk: the test plays the pause by doing the
 * next steps first). Meanwhile its session expires ({@code zk.expireSession}), ZooKeeper deletes its lock node, and
 * process 2, next in line, takes the lock and writes. Then process 1 resumes and writes too. Even without a pause a
 * holder learns of its session's expiry late (its client reports it only after the server has expired it), so the
 * gap always exists.
 *
 * <p>The fix is a fencing token: each holding carries a number that grows with every holder (the lock node's
 * sequence number, {@link RecordingMutex#token()}); the protected resource remembers the largest token it accepted
 * and refuses smaller ones. The {@link Fencing} checker reads what the resource did: without fencing it accepted
 * process 1's stale token after process 2's, INVALID; with fencing it refused it, VALID, in the same scenario.
 *
 * <p>Deterministic: the order (1 acquires and writes, 1 checks, 1's session expires, 2 acquires and writes, 1
 * writes) is driven by the test, each step waiting for the one before; nothing depends on timing or luck.
 */
@ZkCluster(nodes = 3)
class FencingTokenExample {

    private static final String LOCK = "/locks/orders";

    /** The protected resource: one value, written by lock holders, each write presenting the holder's token. */
    static final class Storage {
        private final History history;
        private final boolean fenced;
        private long highestToken = -1;
        private String value;

        Storage(History history, boolean fenced) {
            this.history = history;
            this.fenced = fenced;
        }

        // README:fencing
        synchronized boolean write(int process, long token, String newValue) {
            if (fenced && token < highestToken) {
                Fencing.rejected(history, process, LOCK, token);
                return false;
            }
            highestToken = Math.max(highestToken, token);
            value = newValue;
            Fencing.accepted(history, process, LOCK, token);
            return true;
        }
        // README:end

        synchronized String value() {
            return value;
        }
    }

    @Test
    void withoutFencingTheStaleHolderOverwritesTheNewOne(ZkEnsemble zk, TestInfo test, TestReporter reporter)
            throws Exception {
        History history = new History();
        Storage storage = new Storage(history, false);
        scenario(zk, history, storage);

        assertThat(storage.value()).isEqualTo("written by process 1"); // the stale holder's write won
        CheckResult result = ZkTimelines.expect(Verdict.INVALID, test, reporter, history, Fencing.of());
        assertThat(result.explanation())
                .startsWith("the resource protected by lock /locks/orders accepted a stale"
                        + " token: process-2 had a write accepted with token ");
    }

    @Test
    void withFencingTheStaleWriteIsRejected(ZkEnsemble zk, TestInfo test, TestReporter reporter) throws Exception {
        History history = new History();
        Storage storage = new Storage(history, true);
        scenario(zk, history, storage);

        assertThat(storage.value()).isEqualTo("written by process 2"); // the stale write was refused
        ZkTimelines.check(test, reporter, history, Fencing.of());
    }

    private static void scenario(ZkEnsemble zk, History history, Storage storage) throws Exception {
        try (CuratorFramework clientOf1 = ZkCurator.newClient(zk);
                CuratorFramework clientOf2 = ZkCurator.newClient(zk);
                RecordingMutex lockOf1 = new RecordingMutex(clientOf1, LOCK, history, 1);
                RecordingMutex lockOf2 = new RecordingMutex(clientOf2, LOCK, history, 2)) {
            assertThat(lockOf1.acquire(Duration.ofSeconds(10))).isTrue();
            long tokenOf1 = lockOf1.token().orElseThrow();
            assertThat(storage.write(1, tokenOf1, "first write of process 1")).isTrue();

            CompletableFuture<Boolean> twoAcquires = CompletableFuture.supplyAsync(() -> acquire(lockOf2));
            await("process 2 waits in line for the lock")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> participants(clientOf1) == 2);

            assertThat(lockOf1.holds()).isTrue(); // process 1 checks it holds the lock, then pauses before writing

            zk.expireSession(clientOf1.getZookeeperClient().getZooKeeper().getSessionId());
            assertThat(twoAcquires.get(20, TimeUnit.SECONDS)).isTrue(); // 1's lock node went with its session
            long tokenOf2 = lockOf2.token().orElseThrow();
            assertThat(tokenOf2).isGreaterThan(tokenOf1);
            assertThat(storage.write(2, tokenOf2, "written by process 2")).isTrue();

            storage.write(1, tokenOf1, "written by process 1"); // process 1 resumes: it checked, so it writes

            zk.await("process 1 to learn that it lost the lock", () -> !lockOf1.holds());
        }
    }

    private static boolean acquire(RecordingMutex mutex) {
        try {
            return mutex.acquire(Duration.ofSeconds(20));
        } catch (Exception e) {
            throw new IllegalStateException("process 2 could not wait for the lock", e);
        }
    }

    private static int participants(CuratorFramework client) throws Exception {
        return client.getChildren().forPath(LOCK).size();
    }
}
