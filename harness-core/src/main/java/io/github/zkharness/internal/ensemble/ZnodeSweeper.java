package io.github.zkharness.internal.ensemble;

import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.internal.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooKeeper;

/**
 * Deletes whole trees of znodes fast: lists them level by level with pipelined asynchronous calls, then deletes
 * them deepest level first in pipelined {@code multi} batches, so that the cost grows with the number of
 * levels rather than the number of znodes. A batch that fails (a znode gone or grown meanwhile) is retried
 * one znode at a time; what still fails is reported, not thrown.
 */
final class ZnodeSweeper {

    /** Deletes per {@code multi}: well below ZooKeeper's 1 MiB request limit for any path length it allows. */
    private static final int BATCH = 500;

    private final ZooKeeper client;
    private final Duration timeout;

    ZnodeSweeper(ZooKeeper client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * Deletes every root and everything below it.
     *
     * @return the paths that could not be deleted, with ZooKeeper's reason; empty when all are gone
     */
    Map<String, KeeperException.Code> delete(List<String> roots) throws InterruptedException {
        List<List<String>> levels = new ArrayList<>();
        List<String> level = roots;
        while (!level.isEmpty()) {
            levels.add(level);
            level = children(level);
        }
        Map<String, KeeperException.Code> failures = Collections.synchronizedMap(new LinkedHashMap<>());
        for (int depth = levels.size() - 1; depth >= 0; depth--) {
            deleteLevel(levels.get(depth), failures);
        }
        return failures;
    }

    private List<String> children(List<String> parents) throws InterruptedException {
        Queue<String> found = new Queue<>();
        CountDownLatch done = new CountDownLatch(parents.size());
        for (String parent : parents) {
            client.getChildren(
                    parent,
                    false,
                    (rc, path, ctx, names) -> {
                        if (rc == KeeperException.Code.OK.intValue()) {
                            String prefix = path.equals("/") ? "/" : path + "/";
                            names.forEach(name -> found.add(prefix + name));
                        }
                        done.countDown();
                    },
                    null);
        }
        await(done, "listing " + parents.size() + " znodes");
        return found.list();
    }

    private void deleteLevel(List<String> paths, Map<String, KeeperException.Code> failures)
            throws InterruptedException {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < paths.size(); i += BATCH) {
            batches.add(paths.subList(i, Math.min(paths.size(), i + BATCH)));
        }
        Map<List<String>, Boolean> failed = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(batches.size());
        for (List<String> batch : batches) {
            List<Op> ops = batch.stream().map(p -> Op.delete(p, -1)).toList();
            client.multi(
                    ops,
                    (rc, path, ctx, results) -> {
                        if (rc != KeeperException.Code.OK.intValue()) {
                            failed.put(batch, true);
                        }
                        done.countDown();
                    },
                    null);
        }
        await(done, "deleting " + paths.size() + " znodes");
        for (List<String> batch : failed.keySet()) {
            for (String path : batch) {
                try {
                    client.delete(path, -1);
                } catch (KeeperException.NoNodeException gone) {
                    // an ephemeral whose session ended, a container ZooKeeper removed: gone is what we want
                } catch (KeeperException e) {
                    failures.put(path, e.code());
                }
            }
        }
    }

    private void await(CountDownLatch done, String what) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new ZkTimeoutException("Timed out after " + Await.format(timeout) + " " + what + " ("
                    + done.getCount() + " answers missing)");
        }
    }

    /** Collects from ZooKeeper's event thread. */
    private static final class Queue<T> {
        private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();

        void add(T item) {
            items.add(item);
        }

        List<T> list() {
            return new ArrayList<>(items);
        }
    }
}
