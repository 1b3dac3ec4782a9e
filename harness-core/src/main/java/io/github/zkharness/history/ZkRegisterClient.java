package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A key/value register on ZooKeeper whose every call is recorded in a {@link History}: key {@code k} is the znode
 * {@code root + "/" + k}, its value the znode's data as UTF-8, and a znode that does not exist holds the value
 * "absent" ({@code null}), which is also every key's initial value.
 *
 * <ul>
 *   <li>{@link #read(String)}: {@code getData}; a missing znode reads as absent (OK with a null result).</li>
 *   <li>{@link #read(String, boolean)} with {@code sync} true: {@code sync(path)} then {@code getData}, recorded as one
 *       {@link OpKind#SYNC_READ}.</li>
 *   <li>A read invoked while the client is connected read-only (its state is {@code CONNECTEDREADONLY}: a
 *       {@code canBeReadOnly} client on a server in ZooKeeper's read-only mode) is recorded as
 *       {@link OpKind#READ_ONLY_READ}, with or without {@code sync} (a read-only server refuses {@code sync}, so with
 *       it the read is FAIL, reason {@code sync: NOTREADONLY}). A read invoked while connected otherwise that
 *       completes with the client connected read-only may have been served read-only: it is FAIL, its value
 *       unrecorded.</li>
 *   <li>{@link #write(String, String)}: an unconditional {@code setData(path, value, -1)}; if the znode does not exist,
 *       {@code create} (PERSISTENT, open ACL) with the value, creating the root first if needed; if that create finds
 *       the znode already created by someone else, {@code setData} again. Each failed step definitely changed nothing
 *       ({@code NoNode}, {@code NodeExists}), so the whole is one write that took effect at most once.</li>
 *   <li>{@link #cas(String, String, String)}: reads data and version; if the value differs from {@code expected} the
 *       CAS is FAIL (nothing was written); otherwise {@code setData} with that version ({@code create} if
 *       {@code expected} is absent). {@code BadVersion} / {@code NodeExists} make it FAIL.</li>
 * </ul>
 *
 * <p>Outcomes follow {@link ZkOutcomes}: a read that throws is FAIL (reads have no effect); a write or CAS that throws
 * {@code ConnectionLoss}, {@code OperationTimeout} or {@code SessionExpired}, or whose thread is interrupted, is
 * UNKNOWN; {@code NodeExists}, {@code BadVersion}, {@code NoNode}, {@code NoAuth} are FAIL. No method throws: each
 * returns the completed {@link Operation}; when interrupted, the thread's interrupt flag is set again on return.
 *
 * <p>One instance is one process: use it from one thread at a time (ZooKeeper's client itself may be shared). A
 * client made by {@link #renewing} is one process per session: when its session has expired it opens a new one and
 * goes on as a new process (see there).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZkRegisterClient implements Closeable {

    /**
     * Event kind recorded when a {@link #renewing} client replaces its expired session: source the old process
     * ({@code process-P}), description {@code "by process Q"}.
     */
    public static final String SESSION_REPLACED = "session-replaced";

    private ZooKeeper zk;
    private int process;
    private final History history;
    private final String root;
    /** Null unless renewing: then it makes every session, and this client closes them. */
    private final @Nullable Callable<ZooKeeper> sessions;

    private final @Nullable IntSupplier processIds;

    /**
     * A register client.
     *
     * @param zk a connected ZooKeeper client (the caller keeps and closes it)
     * @param process this client's process id in the history
     * @param history where every call is recorded
     * @param root the parent znode of the keys, e.g. {@code /register}; created on the first write if missing
     * @throws IllegalArgumentException if zk or history is null, or root is not an absolute path without a trailing
     *     slash
     */
    public ZkRegisterClient(ZooKeeper zk, int process, History history, String root) {
        if (zk == null || history == null) {
            throw new IllegalArgumentException(
                    "a register client needs a ZooKeeper client and a history, got zk=" + zk + " history=" + history);
        }
        if (root == null || !root.startsWith("/") || (root.length() > 1 && root.endsWith("/"))) {
            throw new IllegalArgumentException("root must be an absolute znode path like /register, got " + root);
        }
        this.zk = zk;
        this.process = process;
        this.history = history;
        this.root = root;
        this.sessions = null;
        this.processIds = null;
    }

    private ZkRegisterClient(
            ZooKeeper first, History history, String root, Callable<ZooKeeper> sessions, IntSupplier processIds) {
        this.zk = first;
        this.process = processIds.getAsInt();
        this.history = history;
        this.root = root;
        this.sessions = sessions;
        this.processIds = processIds;
    }

    /**
     * A register client that outlives its sessions: it opens one with {@code sessions}, and when that session has
     * expired (ZooKeeper's client says it is no longer alive), the next call opens a new one and records from then on
     * as a new process, with the next id from {@code processIds}, as Jepsen does for a crashed client: the old
     * process's last operation may still be UNKNOWN, and a process runs one operation at a time. The replacement is
     * recorded as an event {@value #SESSION_REPLACED}. If a new session cannot be opened, the call is recorded as FAIL
     * with the reason and the next call tries again. This client closes every session it opened on {@link #close()}.
     *
     * @param sessions opens a connected ZooKeeper client, e.g. {@code zk::newZooKeeper}
     * @param processIds hands out process ids no other client of the history uses, e.g. a shared
     *     {@code AtomicInteger::incrementAndGet}
     * @param history where every call is recorded
     * @param root the parent znode of the keys
     * @return the client, connected, with its first process id
     * @throws NullPointerException if {@code sessions}, {@code processIds} or {@code history} is null
     * @throws IllegalArgumentException if root is not an absolute path without a trailing slash
     * @throws Exception what {@code sessions} throws when opening the first session
     */
    public static ZkRegisterClient renewing(
            Callable<ZooKeeper> sessions, IntSupplier processIds, History history, String root) throws Exception {
        Objects.requireNonNull(sessions, "sessions must not be null");
        Objects.requireNonNull(processIds, "processIds must not be null");
        Objects.requireNonNull(history, "history must not be null");
        if (root == null || !root.startsWith("/") || (root.length() > 1 && root.endsWith("/"))) {
            throw new IllegalArgumentException("root must be an absolute znode path like /register, got " + root);
        }
        ZooKeeper first = Objects.requireNonNull(sessions.call(), "sessions returned null");
        return new ZkRegisterClient(first, history, root, sessions, processIds);
    }

    /**
     * Renews an expired session (renewing clients only). Null when there is a live session, else why there is none.
     */
    private @Nullable String session() {
        if (sessions == null || zk.getState().isAlive()) {
            return null;
        }
        ZooKeeper next;
        try {
            next = Objects.requireNonNull(sessions.call(), "sessions returned null");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while opening a new session";
        } catch (Exception e) {
            return "no new session: " + e;
        }
        closeQuietly(zk);
        int old = process;
        zk = next;
        process = Objects.requireNonNull(processIds, "processIds").getAsInt();
        history.event(History.processSource(old), SESSION_REPLACED, "by process " + process);
        return null;
    }

    /**
     * The session this client uses now.
     *
     * @return ZooKeeper's session id
     */
    public long sessionId() {
        return zk.getSessionId();
    }

    /**
     * Closes the sessions this client opened ({@link #renewing} clients); a client made with a ZooKeeper client of
     * the caller's leaves it open.
     */
    @Override
    public void close() {
        if (sessions != null) {
            closeQuietly(zk);
        }
    }

    private static void closeQuietly(ZooKeeper client) {
        try {
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The znode that holds {@code key}.
     *
     * @param key the key: one znode name, no '/'
     * @return {@code root + "/" + key}
     * @throws IllegalArgumentException if key is null, empty or contains '/'
     */
    public String path(String key) {
        if (key == null || key.isEmpty() || key.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a key is one znode name (not empty, no '/'), got " + key);
        }
        return (root.equals("/") ? "" : root) + "/" + key;
    }

    /**
     * This client's process id (a {@link #renewing} client's changes with each new session).
     *
     * @return the process id
     */
    public int process() {
        return process;
    }

    /**
     * Reads {@code key} with a plain {@code getData} (may be stale if served by a follower that is behind, or by a
     * read-only server: then recorded as {@link OpKind#READ_ONLY_READ}).
     *
     * @param key the key
     * @return the recorded read: OK with the value (null = absent), or FAIL
     */
    public Operation read(String key) {
        return read(key, false);
    }

    /**
     * Reads {@code key}, after a {@code sync} on its znode if {@code sync} is true.
     *
     * @param key the key
     * @param sync whether to sync first (recorded as {@link OpKind#SYNC_READ}, unless connected read-only)
     * @return the recorded read: OK with the value (null = absent), or FAIL
     */
    public Operation read(String key, boolean sync) {
        String path = path(key);
        String noSession = session();
        boolean readOnly = zk.getState() == ZooKeeper.States.CONNECTEDREADONLY;
        Op op = history.invoke(
                process, readOnly ? OpKind.READ_ONLY_READ : sync ? OpKind.SYNC_READ : OpKind.READ, key, null);
        if (noSession != null) {
            return op.fail(noSession);
        }
        try {
            if (sync) {
                String failed = sync(path);
                if (failed != null) {
                    return op.fail(failed);
                }
            }
            String value;
            try {
                value = decode(zk.getData(path, false, null));
            } catch (KeeperException.NoNodeException e) {
                value = null;
            }
            if (!readOnly && zk.getState() == ZooKeeper.States.CONNECTEDREADONLY) {
                return op.fail("the client turned read-only during the read: it may have been served read-only");
            }
            return op.ok(value);
        } catch (KeeperException e) {
            return op.fail(name(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return op.fail("InterruptedException");
        } catch (RuntimeException e) {
            return op.fail(e.getClass().getSimpleName());
        }
    }

    /** Null if the sync succeeded, else why not. */
    private @Nullable String sync(String path) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger rc = new AtomicInteger();
        zk.sync(
                path,
                (code, p, ctx) -> {
                    rc.set(code);
                    done.countDown();
                },
                null);
        long waitMs = Math.max(1000L, 2L * zk.getSessionTimeout());
        if (!done.await(waitMs, TimeUnit.MILLISECONDS)) {
            return "sync did not answer within " + waitMs + " ms";
        }
        KeeperException.Code code = KeeperException.Code.get(rc.get());
        return code == KeeperException.Code.OK ? null : "sync: " + code;
    }

    /**
     * Writes {@code value} to {@code key} unconditionally (setData, or create if the znode does not exist).
     *
     * @param key the key
     * @param value the value, non-null
     * @return the recorded write: OK, FAIL or UNKNOWN
     * @throws IllegalArgumentException if value is null (this register cannot write "absent")
     */
    public Operation write(String key, String value) {
        requireValue(value);
        String path = path(key);
        String noSession = session();
        Op op = history.invoke(process, OpKind.WRITE, key, value);
        if (noSession != null) {
            return op.fail(noSession);
        }
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        try {
            try {
                zk.setData(path, data, -1);
                return op.ok();
            } catch (KeeperException.NoNodeException e) {
                // nothing written: create it instead
            }
            if (!ensureRoot()) {
                return op.fail("could not create the root " + root);
            }
            try {
                zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                return op.ok();
            } catch (KeeperException.NodeExistsException e) {
                // someone else created it meanwhile; our create changed nothing
            }
            zk.setData(path, data, -1);
            return op.ok();
        } catch (KeeperException e) {
            return op.complete(ZkOutcomes.classify(OpKind.WRITE, e), name(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return op.unknown("InterruptedException");
        } catch (RuntimeException e) {
            return op.complete(
                    ZkOutcomes.classify(OpKind.WRITE, e), e.getClass().getSimpleName());
        }
    }

    /**
     * Compare-and-set: if {@code key} holds {@code expected} (null = absent), set it to {@code value}, using the
     * znode's version so that nothing written in between is overwritten.
     *
     * @param key the key
     * @param expected the value it must hold, or null for absent
     * @param value the new value, non-null
     * @return the recorded CAS: OK, FAIL (not equal, or changed in between) or UNKNOWN
     * @throws IllegalArgumentException if value is null
     */
    public Operation cas(String key, @Nullable String expected, String value) {
        requireValue(value);
        String path = path(key);
        String noSession = session();
        Op op = history.invokeCas(process, key, expected, value);
        if (noSession != null) {
            return op.fail(noSession);
        }
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        Stat stat = new Stat();
        String current;
        try {
            try {
                current = decode(zk.getData(path, false, stat));
            } catch (KeeperException.NoNodeException e) {
                current = null;
                stat = null;
            }
        } catch (KeeperException e) {
            return op.fail("read before the CAS: " + name(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return op.fail("InterruptedException before the CAS was sent");
        } catch (RuntimeException e) {
            return op.fail(e.getClass().getSimpleName());
        }
        if (!Operation.sameValue(current, expected)) {
            return op.fail("value was " + Operation.quote(current));
        }
        try {
            if (stat == null) {
                if (!ensureRoot()) {
                    return op.fail("could not create the root " + root);
                }
                zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } else {
                zk.setData(path, data, stat.getVersion());
            }
            return op.ok();
        } catch (KeeperException e) {
            return op.complete(ZkOutcomes.classify(OpKind.CAS, e), name(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return op.unknown("InterruptedException");
        } catch (RuntimeException e) {
            return op.complete(ZkOutcomes.classify(OpKind.CAS, e), e.getClass().getSimpleName());
        }
    }

    /** Creates the root and its parents (unrecorded); false if that failed with a ZooKeeper error. */
    private boolean ensureRoot() throws InterruptedException {
        return ZnodePaths.ensure(zk, root);
    }

    private static void requireValue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("the value to write must not be null (null means absent)");
        }
    }

    private static String decode(byte[] data) {
        return data == null ? "" : new String(data, StandardCharsets.UTF_8);
    }

    private static String name(KeeperException e) {
        return e.getClass().getSimpleName();
    }
}
