package io.github.zkharness.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** Bursts of writes under {@code /roll} for the crash tests: many transactions a follower appends before it flushes. */
final class WriteBursts {

    private WriteBursts() {}

    /**
     * {@code count} creates at once, asynchronously, so the follower appends several before it flushes; returns once
     * every one was acknowledged (within {@code timeout}), and fails if any was refused. {@code written} counts them.
     */
    static void burst(ZooKeeper client, AtomicInteger written, int count, Duration timeout) throws Exception {
        if (client.exists("/roll", false) == null) {
            client.create("/roll", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        CountDownLatch done = new CountDownLatch(count);
        List<Integer> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            client.create(
                    "/roll/n-" + written.incrementAndGet(),
                    new byte[64],
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> {
                        if (rc != 0) {
                            failures.add(rc);
                        }
                        done.countDown();
                    },
                    null);
        }
        assertThat(done.await(timeout.toSeconds(), TimeUnit.SECONDS))
                .as("the burst committed")
                .isTrue();
        assertThat(failures).as("result codes of failed creates").isEmpty();
    }
}
