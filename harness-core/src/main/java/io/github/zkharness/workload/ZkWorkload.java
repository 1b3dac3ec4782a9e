package io.github.zkharness.workload;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.check.CheckResult;
import io.github.zkharness.check.Checker;
import io.github.zkharness.check.Checks;
import io.github.zkharness.check.Convergence;
import io.github.zkharness.check.Durability;
import io.github.zkharness.check.SequentialNumbering;
import io.github.zkharness.check.ZooKeeperConsistency;
import io.github.zkharness.history.History;
import io.github.zkharness.history.OpKind;
import io.github.zkharness.history.Operation;
import io.github.zkharness.history.ZkMultiClient;
import io.github.zkharness.history.ZkRegisterClient;
import io.github.zkharness.history.ZkSequentialClient;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A workload with the variety real ZooKeeper bugs need, recorded in a {@link History} while faults run: each client
 * thread draws, from its own seed, register reads, writes and compare-and-sets ({@link ZkRegisterClient}), atomic
 * {@code multi} writes and reads ({@link ZkMultiClient}), sequential creates ({@link ZkSequentialClient}), ephemerals
 * of short sessions that then close or are expired by the ensemble ({@link ZkEnsemble#expireSession(long)}), and
 * znodes with an ACL of their own (a digest user per client). Everything lives under one root znode:
 * {@code registers}, {@code multi}, {@code sequence}, {@code ephemerals} and {@code acl}.
 *
 * <pre>{@code
 * try (ZkWorkload workload = ZkWorkload.of(zk, history).clients(3).seed(7).start()) {
 *     // a chaos run, or any faults
 * }
 * CheckResult verdict = workload.check(); // after close, with every node serving
 * }</pre>
 *
 * <p>{@link #check()} runs every checker these operations call for, each holding ZooKeeper to what it documents and
 * no more: the registers' writes and compare-and-sets linearizable and their reads never stale beyond what ZooKeeper
 * allows ({@link ZooKeeperConsistency}: a plain read served by a follower that is behind, or a sync-read by a leader
 * that lost its quorum without knowing it yet, may be stale), every multi atomic,
 * the sequence numbers of one parent increasing with real time and never repeated, every acknowledged register
 * write durable on every node, and {@link Convergence} (identical trees, no ephemeral without its session). A client
 * whose session dies goes on with a new session and new process ids, as a crashed client would.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZkWorkload implements Closeable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> REGISTERS = List.of("k0", "k1", "k2", "k3");
    private static final List<String> GROUP = List.of("a", "b", "c");
    private static final String REGISTERS_CHECK = "registers";

    private final ZkEnsemble zk;
    private final History history;
    private final String root;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger processIds = new AtomicInteger();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<Throwable> crashes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private volatile boolean closed;

    private ZkWorkload(ZkEnsemble zk, History history, String root, long seed) {
        this.zk = zk;
        this.history = history;
        this.root = root;
        this.seed = seed;
    }

    /**
     * A workload on {@code zk}, recorded in {@code history}; {@link Builder#start()} starts it.
     *
     * @param zk the ensemble, running
     * @param history where every operation and session event is recorded
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder of(ZkEnsemble zk, History history) {
        return new Builder(
                Objects.requireNonNull(zk, "zk must not be null"),
                Objects.requireNonNull(history, "history must not be null"));
    }

    /** Settings of a {@link ZkWorkload}. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static final class Builder {
        private final ZkEnsemble zk;
        private final History history;
        private int clients = 3;
        private long seed = 1;
        private String root = "/workload";

        private Builder(ZkEnsemble zk, History history) {
            this.zk = zk;
            this.history = history;
        }

        /**
         * How many client threads run at once (default 3).
         *
         * @param clients 1 to 32
         * @return this
         * @throws IllegalArgumentException outside 1 to 32
         */
        public Builder clients(int clients) {
            if (clients < 1 || clients > 32) {
                throw new IllegalArgumentException("clients must be 1 to 32, got " + clients);
            }
            this.clients = clients;
            return this;
        }

        /**
         * The seed each client's choice of operations comes from (client {@code i} uses {@code seed + i}; default
         * 1). The operations drawn repeat; their outcomes depend on the faults and timing.
         *
         * @param seed the seed
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The znode everything lives under (default {@code /workload}).
         *
         * @param root an absolute path without a trailing slash, not {@code /} and not under {@code /zookeeper}
         * @return this
         * @throws IllegalArgumentException for any other path
         */
        public Builder root(String root) {
            Objects.requireNonNull(root, "root must not be null");
            if (!root.startsWith("/") || root.length() == 1 || root.endsWith("/") || root.startsWith("/zookeeper")) {
                throw new IllegalArgumentException(
                        "root must be an absolute znode path like /workload, not / and not under /zookeeper, got "
                                + root);
            }
            this.root = root;
            return this;
        }

        /**
         * Creates the root's znodes and starts the client threads.
         *
         * @return the running workload
         * @throws ZkHarnessException if the root's znodes cannot be created
         */
        public ZkWorkload start() {
            ZkWorkload w = new ZkWorkload(zk, history, root, seed);
            w.prepare();
            for (int i = 0; i < clients; i++) {
                int client = i;
                Thread t = new Thread(() -> w.run(client), "zk-harness-workload-" + i);
                t.setDaemon(true);
                w.threads.add(t);
            }
            w.threads.forEach(Thread::start);
            return w;
        }
    }

    @SuppressWarnings("try") // ZooKeeper.close() throws InterruptedException, handled below
    private void prepare() {
        try (ZooKeeper client = zk.newZooKeeper()) {
            for (String path :
                    List.of(root, root + "/registers", root + "/sequence", root + "/ephemerals", root + "/acl")) {
                ensure(client, path);
            }
            ZkMultiClient.createKeys(client, root + "/multi", GROUP, "0");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkInterruptedException("interrupted while creating " + root, e);
        } catch (KeeperException e) {
            throw new ZkHarnessException("could not create the workload's znodes under " + root + ": " + e, e);
        }
    }

    private static void ensure(ZooKeeper client, String path) throws KeeperException, InterruptedException {
        StringBuilder at = new StringBuilder();
        for (String part : path.substring(1).split("/")) {
            at.append('/').append(part);
            try {
                client.create(at.toString(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // there already
            }
        }
    }

    /** One client thread: draws and runs operations until {@link #close()}. */
    private void run(int client) {
        Random random = new Random(seed + client);
        Session session = null;
        int ephemerals = 0;
        try (ZkRegisterClient registers = ZkRegisterClient.renewing(
                zk::newZooKeeper, processIds::incrementAndGet, history, root + "/registers")) {
            while (!stopping) {
                if (session == null || !session.zk.getState().isAlive()) {
                    if (session != null) {
                        session.close();
                    }
                    session = openSession(client);
                    if (session == null) {
                        continue;
                    }
                }
                int draw = random.nextInt(100);
                String key = REGISTERS.get(random.nextInt(REGISTERS.size()));
                String value = client + "-" + random.nextInt(1_000_000);
                if (draw < 20) {
                    count("write", registers.write(key, value));
                } else if (draw < 35) {
                    count("read", registers.read(key, random.nextBoolean()));
                } else if (draw < 45) {
                    Operation read = registers.read(key);
                    count("cas", registers.cas(key, read.result(), value));
                } else if (draw < 55) {
                    Map<String, String> values = new TreeMap<>();
                    for (String k : GROUP) {
                        values.put(k, value);
                    }
                    count("multi", session.multi.write(values));
                } else if (draw < 62) {
                    count("multi-read", session.multi.read(GROUP));
                } else if (draw < 77) {
                    count("create-sequential", session.sequential.create(root + "/sequence", "n-"));
                } else if (draw < 90) {
                    ephemeralSession(client, ephemerals++, random.nextBoolean());
                } else {
                    aclZnode(session, client, random.nextInt(4));
                }
            }
        } catch (Exception | Error e) {
            if (!stopping) {
                crashes.add(e);
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** A client's own session for multi, sequential creates and ACLs, with fresh process ids; null if none now. */
    private @Nullable Session openSession(int client) {
        try {
            ZooKeeper z = zk.newZooKeeper();
            String user = "workload-" + client + ":secret";
            z.addAuthInfo("digest", user.getBytes(StandardCharsets.UTF_8));
            return new Session(
                    z,
                    new ZkMultiClient(z, processIds.incrementAndGet(), history, root + "/multi"),
                    new ZkSequentialClient(z, processIds.incrementAndGet(), history));
        } catch (RuntimeException e) {
            history.event("workload-" + client, "session", "no session now: " + e.getMessage());
            pause();
            return null;
        }
    }

    /** A short session with two ephemerals, then closed or expired by the ensemble. */
    @SuppressWarnings("try") // ZooKeeper.close() throws InterruptedException, handled below
    private void ephemeralSession(int client, int n, boolean expire) {
        String base = root + "/ephemerals/c" + client + "-" + n;
        try (ZooKeeper shortLived = zk.newZooKeeper()) {
            long id = shortLived.getSessionId();
            shortLived.create(base + "-a", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            shortLived.create(base + "-b", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            if (expire) {
                zk.expireSession(id);
            }
            history.event(
                    "workload-" + client,
                    "session",
                    "session 0x" + Long.toHexString(id) + " with ephemerals " + base + "-a, -b "
                            + (expire ? "expired by the ensemble" : "closed"));
            count(expire ? "ephemerals-expired" : "ephemerals-closed", null);
        } catch (KeeperException | RuntimeException e) {
            count("ephemerals-failed", null); // a fault in force: the session or a create did not go through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A znode only its client's digest user may write (and anyone read), created or updated. */
    private void aclZnode(Session session, int client, int n) {
        String path = root + "/acl/c" + client + "-" + n;
        try {
            List<ACL> acl = new ArrayList<>(List.of(
                    new ACL(ZooDefs.Perms.ALL, new Id("digest", digest("workload-" + client, "secret"))),
                    new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
            try {
                session.zk.create(path, bytes(n), acl, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                session.zk.setData(path, bytes(n + 1), -1);
            }
            count("acl", null);
        } catch (KeeperException | RuntimeException | java.security.NoSuchAlgorithmException e) {
            count("acl-failed", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The id of a {@code digest} user as ZooKeeper's digest scheme writes it: {@code user:} and the Base64 of the SHA-1
     * of {@code user:password} (the client API has no helper for it; the server's belongs to the server side).
     */
    static String digest(String user, String password) throws java.security.NoSuchAlgorithmException {
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1")
                .digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return user + ":" + java.util.Base64.getEncoder().encodeToString(sha1);
    }

    private static byte[] bytes(int n) {
        return String.valueOf(n).getBytes(StandardCharsets.UTF_8);
    }

    private void count(String kind, @Nullable Operation op) {
        counts.computeIfAbsent(op == null ? kind : kind + " " + op.outcome(), k -> new LongAdder())
                .increment();
    }

    private void pause() {
        try {
            Thread.sleep(50); // a client retrying a session, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How many operations of each kind ran so far, by outcome ("write OK", "multi UNKNOWN", "ephemerals-expired").
     *
     * @return kind and outcome to count, sorted
     */
    public Map<String, Long> counts() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /**
     * The checkers for what this workload recorded, to run after {@link #close()} with every node serving.
     *
     * @return in this order: {@code registers} ({@link ZooKeeperConsistency} on the four registers: writes and
     *     compare-and-sets linearizable, reads stale at most as ZooKeeper allows), {@code multi-atomic} (every multi
     *     read sees all of one multi or none, nothing from the future), sequential numbering, register durability,
     *     convergence
     * @throws IllegalStateException before {@link #close()}
     */
    public List<Checker> checkers() {
        if (!closed) {
            throw new IllegalStateException("the workload still runs: close() it first");
        }
        return List.of(
                ZooKeeperConsistency.of()
                        .only(op -> REGISTERS.contains(op.key()) && isRegisterKind(op.kind()))
                        .named(REGISTERS_CHECK),
                new MultiReads("0"),
                SequentialNumbering.of(),
                Durability.of(zk, root + "/registers"),
                Convergence.of(zk));
    }

    private static boolean isRegisterKind(OpKind kind) {
        return kind.equals(OpKind.WRITE)
                || kind.equals(OpKind.CAS)
                || kind.equals(OpKind.READ)
                || kind.equals(OpKind.SYNC_READ)
                || kind.equals(OpKind.READ_ONLY_READ);
    }

    /**
     * Runs {@link #checkers()} on the history and combines their verdicts.
     *
     * @return one result with a part per checker
     * @throws IllegalStateException before {@link #close()}, or if a node does not serve
     */
    public CheckResult check() {
        return Checks.all(checkers().toArray(Checker[]::new)).check(history);
    }

    /**
     * Stops every client thread (each finishes its operation), closes their sessions and returns. Idempotent.
     *
     * @throws ZkHarnessException if a client thread died of an unexpected exception, or did not stop in 60 s
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopping = true;
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        List<String> stuck = new ArrayList<>();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZkInterruptedException("interrupted while stopping the workload", e);
            }
            if (t.isAlive()) {
                stuck.add(t.getName());
            }
        }
        closed = true;
        if (!stuck.isEmpty()) {
            throw new ZkHarnessException(
                    "the workload's clients " + stuck + " did not stop within " + STOP_TIMEOUT.toSeconds()
                            + " s; nodes: " + zk.describe(),
                    null);
        }
        if (!crashes.isEmpty()) {
            throw new ZkHarnessException("a workload client died: " + crashes.get(0), crashes.get(0));
        }
    }

    @Override
    public String toString() {
        return "ZkWorkload[root " + root + ", seed " + seed + ", " + threads.size() + " clients, " + counts() + "]";
    }

    private record Session(ZooKeeper zk, ZkMultiClient multi, ZkSequentialClient sequential) {
        void close() {
            try {
                zk.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
