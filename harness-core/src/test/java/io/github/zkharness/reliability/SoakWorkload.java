package io.github.zkharness.reliability;

import io.github.zkharness.history.History;
import io.github.zkharness.history.Op;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.ZkOutcomes;
import io.github.zkharness.testkit.Clients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The soak's client workload: a few writers, each with its own ZooKeeper session on the
 * whole ensemble (observer included), each doing one write at a time, 20 ms apart:
 * <ul>
 *   <li>two writes in three create a new znode {@code /soak/wI/bB/nN} holding {@code wI-N} (one path per
 *       attempt, never retried), in buckets of 1000 so that no child list outgrows a ZooKeeper packet;</li>
 *   <li>one in three sets the writer's counter {@code /soak/wI} to {@code cN}, N always rising.</li>
 * </ul>
 * Every write is recorded in a {@link History} as a {@link OpKind#WRITE} of its path (the key) with its data (the
 * value): OK when ZooKeeper's callback says OK, whenever that comes; FAIL when its code definitely changed nothing;
 * UNKNOWN otherwise ({@link ZkOutcomes}), or still running if the callback never came. The Durability checker then
 * holds every node's tree to the OK writes. A writer whose session expired (or whose client died) opens a new
 * session.
 */
final class SoakWorkload implements AutoCloseable {

    private static final long OP_TIMEOUT_MS = 10_000;
    private static final int BUCKET = 1000;

    private final String connectString;
    private final int sessionTimeoutMs;
    private final History history;
    private final List<Writer> writers = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong newSessions = new AtomicLong();
    private volatile Throwable crash;

    SoakWorkload(String connectString, int writerCount, int sessionTimeoutMs, History history) {
        this.connectString = connectString;
        this.history = history;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.scheduler = Executors.newScheduledThreadPool(writerCount, r -> {
            Thread t = new Thread(r, "zk-soak-writer");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < writerCount; i++) {
            writers.add(new Writer(i));
        }
    }

    /** Creates {@code /soak} and each writer's counter (the ensemble must serve), then starts writing. */
    void start() throws Exception {
        try (ZooKeeper zk = Clients.connect(connectString, sessionTimeoutMs)) {
            zk.create("/soak", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (Writer w : writers) {
                zk.create(w.root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        for (Writer w : writers) {
            w.client = Clients.open(connectString, sessionTimeoutMs);
            scheduler.scheduleWithFixedDelay(w::tick, 0, 20, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops writing, lets every write in flight finish or fail, and closes the sessions. */
    void stop() throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(OP_TIMEOUT_MS * 3, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the workload's writers did not stop within " + OP_TIMEOUT_MS * 3 + " ms");
        }
        for (Writer w : writers) {
            w.client.close(5000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        for (Writer w : writers) {
            ZooKeeper c = w.client;
            if (c != null) {
                c.close(2000);
            }
        }
    }

    /** Whether no writer thread died of an unexpected exception. */
    boolean healthy() {
        return crash == null;
    }

    Throwable crash() {
        return crash;
    }

    /** The session of writer {@code i} now, or 0 while it has none. */
    long sessionId(int i) {
        ZooKeeper c = writers.get(i).client;
        return c == null ? 0 : c.getSessionId();
    }

    long attempted() {
        return attempted.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long timedOut() {
        return timedOut.get();
    }

    long newSessions() {
        return newSessions.get();
    }

    Map<String, Long> failures() {
        return new TreeMap<>(failures);
    }

    /** The session ids of the writers now (0 for a writer without one). */
    List<Long> sessionIds() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            ids.add(sessionId(i));
        }
        return ids;
    }

    /**
     * Checks a tree read from the ensemble (path to data) for what the Durability checker does not model: every
     * znode under {@code /soak} was written by a writer. Returns the problems found.
     */
    List<String> verifyNoPhantoms(Map<String, String> tree) {
        List<String> problems = new ArrayList<>();
        for (String path : tree.keySet()) {
            if (path.startsWith("/soak/w")
                    && path.contains("/n")
                    && writers.stream().noneMatch(w -> w.attempted.contains(path))) {
                problems.add(path + " exists but no writer ever wrote it");
            }
        }
        return problems;
    }

    private void failed(String what) {
        failures.merge(what, 1L, Long::sum);
    }

    /** One writer: one session, one write at a time. */
    private final class Writer {
        final int index;
        final String root;
        final Set<String> attempted = ConcurrentHashMap.newKeySet();
        final Set<Long> buckets = new HashSet<>();
        volatile ZooKeeper client;
        long next;

        Writer(int index) {
            this.index = index;
            this.root = "/soak/w" + index;
        }

        void tick() {
            try {
                if (!client.getState().isAlive()) {
                    ZooKeeper old = client;
                    old.close(1000);
                    client = Clients.open(connectString, sessionTimeoutMs);
                    newSessions.incrementAndGet();
                }
                long n = next;
                if (n % 3 == 2) {
                    setCounter(n);
                } else if (!buckets.contains(n / BUCKET)) {
                    createBucket(n / BUCKET);
                    return; // this tick went to the bucket; n is written next time
                } else {
                    create(n);
                }
                next = n + 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                crash = t;
                throw new IllegalStateException(t);
            }
        }

        private void createBucket(long bucket) throws InterruptedException {
            String path = root + "/b" + bucket;
            CompletableFuture<Integer> rc = new CompletableFuture<>();
            client.create(
                    path,
                    new byte[0],
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT,
                    (code, p, ctx, name) -> rc.complete(code),
                    null);
            Integer code = await(rc);
            if (code != null && (code == Code.OK.intValue() || code == Code.NODEEXISTS.intValue())) {
                buckets.add(bucket);
            } else if (code != null) {
                failed("bucket " + Code.get(code));
            }
        }

        private void create(long n) throws InterruptedException {
            String path = root + "/b" + (n / BUCKET) + "/n" + n;
            String data = "w" + index + "-" + n;
            attempted.add(path);
            SoakWorkload.this.attempted.incrementAndGet();
            CompletableFuture<Integer> rc = new CompletableFuture<>();
            Op op = history.invoke(index, OpKind.WRITE, path, data);
            client.create(
                    path,
                    data.getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT,
                    (code, p, ctx, name) -> {
                        complete(op, "create", code);
                        rc.complete(code);
                    },
                    null);
            await(rc);
        }

        private void setCounter(long n) throws InterruptedException {
            SoakWorkload.this.attempted.incrementAndGet();
            CompletableFuture<Integer> rc = new CompletableFuture<>();
            Op op = history.invoke(index, OpKind.WRITE, root, "c" + n);
            client.setData(
                    root,
                    ("c" + n).getBytes(StandardCharsets.UTF_8),
                    -1,
                    (code, p, ctx, stat) -> {
                        complete(op, "setData", code);
                        rc.complete(code);
                    },
                    null);
            await(rc);
        }

        /** Completes a recorded write from its callback's code. */
        private void complete(Op op, String what, int code) {
            if (code == Code.OK.intValue()) {
                op.ok();
                acknowledged.incrementAndGet();
                return;
            }
            Code c = Code.get(code);
            failed(what + " " + c);
            if (ZkOutcomes.definite(c)) {
                op.fail(String.valueOf(c));
            } else {
                op.unknown(String.valueOf(c));
            }
        }

        /** The callback's code, or null if it did not come within the op timeout (it may still come). */
        private Integer await(CompletableFuture<Integer> rc) throws InterruptedException {
            try {
                return rc.get(OP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                timedOut.incrementAndGet();
                return null;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
