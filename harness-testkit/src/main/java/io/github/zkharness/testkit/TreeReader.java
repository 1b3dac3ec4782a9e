package io.github.zkharness.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;

/**
 * Reads a server's whole tree (outside {@code /zookeeper}) as path to data, level by level, with many
 * asynchronous reads in flight: tens of thousands of znodes read in seconds. Reads on a follower or observer
 * are answered from its own copy, which is what a convergence check needs.
 */
public final class TreeReader {

    private static final int IN_FLIGHT = 500;
    private static final long TIMEOUT_SECONDS = 120;

    private TreeReader() {}

    /** Path to data (UTF-8) of every node outside {@code /zookeeper}, {@code /} included, sorted by path. */
    public static Map<String, String> read(ZooKeeper client) throws InterruptedException {
        Map<String, String> tree = new TreeMap<>();
        List<String> level = List.of("/");
        while (!level.isEmpty()) {
            Map<String, List<String>> children = new ConcurrentHashMap<>();
            Map<String, String> data = new ConcurrentHashMap<>();
            Semaphore window = new Semaphore(IN_FLIGHT);
            CountDownLatch done = new CountDownLatch(level.size() * 2);
            AtomicReference<String> failure = new AtomicReference<>();
            for (String path : level) {
                acquire(window);
                client.getChildren(
                        path,
                        false,
                        (rc, p, ctx, names) -> {
                            if (rc == Code.OK.intValue()) {
                                children.put(p, names);
                            } else {
                                failure.compareAndSet(null, "getChildren " + p + ": " + Code.get(rc));
                            }
                            window.release();
                            done.countDown();
                        },
                        null);
                acquire(window);
                client.getData(
                        path,
                        false,
                        (rc, p, ctx, bytes, stat) -> {
                            if (rc == Code.OK.intValue()) {
                                data.put(p, bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8));
                            } else {
                                failure.compareAndSet(null, "getData " + p + ": " + Code.get(rc));
                            }
                            window.release();
                            done.countDown();
                        },
                        null);
            }
            if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("reading the tree timed out after " + TIMEOUT_SECONDS + " s");
            }
            if (failure.get() != null) {
                throw new AssertionError("reading the tree failed: " + failure.get());
            }
            tree.putAll(data);
            List<String> next = new ArrayList<>();
            children.forEach((parent, names) -> {
                for (String name : names) {
                    String child = parent.equals("/") ? "/" + name : parent + "/" + name;
                    if (!child.equals("/zookeeper")) {
                        next.add(child);
                    }
                }
            });
            level = next;
        }
        return tree;
    }

    private static void acquire(Semaphore window) throws InterruptedException {
        if (!window.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no answer to " + IN_FLIGHT + " reads in flight for " + TIMEOUT_SECONDS + " s");
        }
    }

    /** Up to {@code max} differences between two trees, for messages. */
    public static List<String> differences(Map<String, String> expected, Map<String, String> actual, int max) {
        List<String> diffs = new ArrayList<>();
        TreeMap<String, String> all = new TreeMap<>(expected);
        actual.forEach(all::putIfAbsent);
        for (String path : all.keySet()) {
            String e = expected.get(path);
            String a = actual.get(path);
            if (e == null) {
                diffs.add("extra " + path);
            } else if (a == null) {
                diffs.add("missing " + path);
            } else if (!e.equals(a)) {
                diffs.add(path + ": \"" + a + "\" instead of \"" + e + "\"");
            }
            if (diffs.size() >= max) {
                break;
            }
        }
        return diffs;
    }
}
