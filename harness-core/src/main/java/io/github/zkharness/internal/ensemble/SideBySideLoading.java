package io.github.zkharness.internal.ensemble;

import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkStartException;
import io.github.zkharness.internal.ServerCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * On the isolated runtime, the class loaders of nodes that start together: made and warmed with ZooKeeper's classes
 * side by side before their client ports are bound ({@link #loadTogether}), and each node's peer waiting until every
 * other one is warm before it starts ({@link #warmTogether}), so that no cold loader joins the first election late.
 * Nothing on the shared runtime.
 */
final class SideBySideLoading {

    private final Cluster cluster;

    SideBySideLoading(Cluster cluster) {
        this.cluster = cluster;
    }

    /** How long peers started together wait for each other's class loading (isolated runtime) at most. */
    private static final Duration WARM_TOGETHER = Duration.ofSeconds(20);

    /** The loaders {@link #loadTogether} warmed already: {@link #warmTogether} need not load into them again. */
    private final Set<ClassLoader> warmedAhead =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * For each of {@code nodes} on the isolated runtime: a run of its code loaded now (a class loader of its own,
     * {@link ServerCode#load}) and warmed with ZooKeeper's classes ({@link ClassWarmer#loadInto}), every node in a
     * thread of its own, side by side; returns once each is done. None for the nodes of the shared runtime. On
     * failure, retires what it loaded and throws the first failure.
     *
     * @throws ZkStartException if a node's loading failed, or did not end within {@link #WARM_TOGETHER}
     */
    Map<NodeRuntime, ServerCode.Run> loadTogether(List<NodeRuntime> nodes) {
        Map<NodeRuntime, ServerCode.Run> loaded = new ConcurrentHashMap<>();
        List<NodeRuntime> isolated =
                nodes.stream().filter(n -> n.code.isolated()).toList();
        if (isolated.isEmpty()) {
            return loaded;
        }
        AtomicBoolean abandoned = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Map<NodeRuntime, Thread> loaders = new LinkedHashMap<>();
        for (NodeRuntime node : isolated) {
            Thread t = new Thread(
                    cluster.threads,
                    () -> {
                        try {
                            ServerCode.Run run = node.code.load("node " + node.id());
                            ClassWarmer.loadInto(run.loader());
                            warmedAhead.add(run.loader());
                            loaded.put(node, run);
                            if (abandoned.get() && loaded.remove(node) != null) {
                                run.retire(node.threads()); // the start gave up waiting for it
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    },
                    cluster.name() + "-load-" + node.id());
            t.setDaemon(true);
            t.start();
            loaders.put(node, t);
        }
        long deadline = System.nanoTime() + WARM_TOGETHER.toNanos();
        List<Integer> late = new ArrayList<>();
        try {
            for (Map.Entry<NodeRuntime, Thread> e : loaders.entrySet()) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    e.getValue().join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                if (e.getValue().isAlive()) {
                    late.add(e.getKey().id());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(loaded, abandoned);
            throw new ZkInterruptedException("interrupted while the nodes' class loaders were loaded", e);
        }
        if (!late.isEmpty() || !failures.isEmpty()) {
            abandon(loaded, abandoned);
            if (!late.isEmpty()) {
                throw new ZkStartException(
                        "nodes " + late + " did not load ZooKeeper's classes within " + WARM_TOGETHER.toSeconds()
                                + " s; nodes: " + cluster.describe(),
                        null);
            }
            Throwable first = failures.get(0);
            if (first instanceof RuntimeException re) {
                throw re;
            }
            if (first instanceof Error err) {
                throw err;
            }
            throw new ZkStartException("loading ZooKeeper's classes failed: " + first, first);
        }
        return loaded;
    }

    /** Gives up on the runs of {@link #loadTogether}: those loaded are retired, those still loading retire theirs. */
    private static void abandon(Map<NodeRuntime, ServerCode.Run> loaded, AtomicBoolean abandoned) {
        abandoned.set(true);
        for (NodeRuntime node : List.copyOf(loaded.keySet())) {
            ServerCode.Run run = loaded.remove(node);
            if (run != null) {
                run.retire(node.threads());
            }
        }
    }

    /**
     * On the isolated runtime, loads ZooKeeper's classes into {@code node}'s own loader, then waits (bounded) until
     * every peer started with it did the same: a cold loader would otherwise start its election later than the
     * others (see {@link ClassWarmer#loadInto}). Nothing on the shared runtime.
     */
    void warmTogether(NodeRuntime node, CountDownLatch warmed) {
        try {
            ClassLoader loader = node.process.classLoader();
            if (loader != null && !warmedAhead.remove(loader)) {
                ClassWarmer.loadInto(loader);
            }
        } finally {
            warmed.countDown();
        }
        try {
            warmed.await(WARM_TOGETHER.toMillis(), TimeUnit.MILLISECONDS); // late: start anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while node " + node.id() + " waited for its peers", e);
        }
    }
}
