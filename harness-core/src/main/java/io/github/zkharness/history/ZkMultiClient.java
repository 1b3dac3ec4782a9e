package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads several znodes at once with ZooKeeper's {@code multi()}, recording each call in a {@link History}:
 * the group is the znode {@code root}, its keys are the children of {@code root}, a key's value is its data as UTF-8.
 * One operation carries several keys, so their keys and values are written in one string by {@link #encode}: keys in
 * order, {@code key=value} for a value and {@code key} alone for an absent one, separated by commas
 * ({@code a=1,b=1,c}); {@code %}, {@code ,} and {@code =} in keys and values are written {@code %25}, {@code %2C},
 * {@code %3D}.
 *
 * <ul>
 *   <li>{@link #write(Map)}: one {@code multi} of {@code setData(path, value, -1)} for each key, recorded as
 *       {@link #MULTI} on key {@code root} with the encoded writes as value. The znodes must exist
 *       ({@link #createKeys}); otherwise the whole multi fails ({@code NoNode}) and changes nothing.</li>
 *   <li>{@link #read(Collection)}: {@code sync(root)}, then one read-only {@code multi} of {@code getData} for each key
 *       (ZooKeeper 3.6 and later), recorded as {@link #MULTI_READ} on key {@code root}, value the encoded keys (all
 *       absent), result the encoded values read; a missing znode reads as absent.</li>
 * </ul>
 *
 * <p>What ZooKeeper promises, a multi takes effect entirely or not at all and a read sees all of it or none of it, is
 * checked by {@code io.github.zkharness.check.MultiModel} with {@code Linearizability}. Outcomes follow
 * {@link ZkOutcomes}: a write that throws {@code ConnectionLoss}, {@code SessionExpired} or is interrupted is UNKNOWN,
 * {@code NoNode}, {@code BadVersion} and other definite errors are FAIL; a read that throws is FAIL. No method throws a
 * ZooKeeper exception; when interrupted, the thread's interrupt flag is set again on return.
 *
 * <p>One instance is one process: use it from one thread at a time.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZkMultiClient {

    /** The kind of a recorded {@code multi} of writes. */
    public static final OpKind MULTI = OpKind.of("multi");
    /** The kind of a recorded read-only {@code multi} (after a {@code sync}). */
    public static final OpKind MULTI_READ = OpKind.of("multi-read");

    private final ZooKeeper zk;
    private final int process;
    private final History history;
    private final String root;

    /**
     * A recording client of the group {@code root}.
     *
     * @param zk a connected ZooKeeper client (the caller keeps and closes it)
     * @param process this client's process id in the history
     * @param history where every call is recorded
     * @param root the parent znode of the keys, e.g. {@code /accounts}
     * @throws NullPointerException if {@code zk}, {@code history} or {@code root} is null
     * @throws IllegalArgumentException if {@code root} is not an absolute path without a trailing slash
     */
    public ZkMultiClient(ZooKeeper zk, int process, History history, String root) {
        this.zk = Objects.requireNonNull(zk, "zk must not be null");
        this.history = Objects.requireNonNull(history, "history must not be null");
        Objects.requireNonNull(root, "root must not be null");
        if (!root.startsWith("/") || root.length() == 1 || root.endsWith("/")) {
            throw new IllegalArgumentException("root must be an absolute znode path like /accounts, got " + root);
        }
        this.root = root;
        this.process = process;
    }

    /**
     * Creates {@code root}, its ancestors and one znode per key holding {@code initial} (unrecorded; keys that exist
     * already are left as they are). Call it once before recording; check with {@code MultiModel.startingWith(initial)}.
     *
     * @param zk a connected ZooKeeper client
     * @param root the group's znode
     * @param keys the keys, each one znode name
     * @param initial every key's first value, non-null
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a key is empty or holds '/'
     * @throws KeeperException if ZooKeeper refuses a create for another reason than that the znode exists
     * @throws InterruptedException if interrupted
     */
    public static void createKeys(ZooKeeper zk, String root, Collection<String> keys, String initial)
            throws KeeperException, InterruptedException {
        Objects.requireNonNull(zk, "zk must not be null");
        Objects.requireNonNull(root, "root must not be null");
        Objects.requireNonNull(keys, "keys must not be null");
        Objects.requireNonNull(initial, "initial must not be null");
        keys.forEach(ZkMultiClient::requireKey);
        if (!ZnodePaths.ensure(zk, root)) {
            throw new IllegalStateException("could not create " + root);
        }
        for (String key : keys) {
            try {
                zk.create(
                        root + "/" + key,
                        initial.getBytes(StandardCharsets.UTF_8),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // already there
            }
        }
    }

    /**
     * This client's process id.
     *
     * @return the process id
     */
    public int process() {
        return process;
    }

    /**
     * Writes every key of {@code values} in one {@code multi}.
     *
     * @param values the keys and their new values (none null), at least one
     * @return the recorded multi: OK, FAIL or UNKNOWN
     * @throws NullPointerException if {@code values} or a value is null
     * @throws IllegalArgumentException if {@code values} is empty or a key is empty or holds '/'
     */
    public Operation write(Map<String, String> values) {
        Objects.requireNonNull(values, "values must not be null");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a multi writes at least one key, got none");
        }
        List<org.apache.zookeeper.Op> ops = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            requireKey(e.getKey());
            Objects.requireNonNull(e.getValue(), "the value of " + e.getKey() + " must not be null");
            ops.add(org.apache.zookeeper.Op.setData(
                    root + "/" + e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), -1));
        }
        Op op = history.invoke(process, MULTI, root, encode(values));
        try {
            zk.multi(ops);
            return op.ok();
        } catch (KeeperException e) {
            return op.complete(ZkOutcomes.classify(MULTI, e), e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return op.unknown("InterruptedException");
        } catch (RuntimeException e) {
            return op.complete(ZkOutcomes.classify(MULTI, e), e.getClass().getSimpleName());
        }
    }

    /**
     * Reads {@code keys} at once: {@code sync}, then one read-only {@code multi}.
     *
     * @param keys the keys, at least one
     * @return the recorded read: OK with the encoded values (absent for a missing znode), or FAIL
     * @throws NullPointerException if {@code keys} is null
     * @throws IllegalArgumentException if {@code keys} is empty or a key is empty or holds '/'
     */
    public Operation read(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a multi read reads at least one key, got none");
        }
        SortedMap<String, String> asked = new TreeMap<>();
        for (String key : keys) {
            requireKey(key);
            asked.put(key, null);
        }
        List<org.apache.zookeeper.Op> ops = new ArrayList<>();
        for (String key : asked.keySet()) {
            ops.add(org.apache.zookeeper.Op.getData(root + "/" + key));
        }
        Op op = history.invoke(process, MULTI_READ, root, encode(asked));
        try {
            String failed = sync();
            if (failed != null) {
                return op.fail(failed);
            }
            List<OpResult> results = zk.multi(ops);
            SortedMap<String, String> read = new TreeMap<>();
            int i = 0;
            for (String key : asked.keySet()) {
                OpResult r = results.get(i++);
                if (r instanceof OpResult.GetDataResult d) {
                    read.put(key, d.getData() == null ? "" : new String(d.getData(), StandardCharsets.UTF_8));
                } else if (r instanceof OpResult.ErrorResult err
                        && err.getErr() == KeeperException.Code.NONODE.intValue()) {
                    read.put(key, null);
                } else {
                    return op.fail("reading " + key + ": " + describe(r));
                }
            }
            return op.ok(encode(read));
        } catch (KeeperException e) {
            return op.fail(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return op.fail("InterruptedException");
        } catch (RuntimeException e) {
            return op.fail(e.getClass().getSimpleName());
        }
    }

    private static String describe(OpResult r) {
        return r instanceof OpResult.ErrorResult err
                ? KeeperException.Code.get(err.getErr()).toString()
                : r.getClass().getSimpleName();
    }

    /** Null if the sync succeeded, else why not. */
    private @Nullable String sync() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger rc = new AtomicInteger();
        zk.sync(
                root,
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

    private static void requireKey(String key) {
        Objects.requireNonNull(key, "a key must not be null");
        if (key.isEmpty() || key.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a key is one znode name (not empty, no '/'), got \"" + key + "\"");
        }
    }

    /**
     * Several keys and values in one string, keys in order: {@code a=1,b=2,c} ({@code c} absent).
     *
     * @param values keys and values (a null value is absent)
     * @return the encoding
     * @throws NullPointerException if {@code values} or a key is null
     */
    public static String encode(Map<String, String> values) {
        Objects.requireNonNull(values, "values must not be null");
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            if (s.length() > 0) {
                s.append(',');
            }
            escape(s, e.getKey());
            if (e.getValue() != null) {
                s.append('=');
                escape(s, e.getValue());
            }
        }
        return s.toString();
    }

    /**
     * The keys and values {@link #encode} wrote, keys in order; an absent value is null.
     *
     * @param encoded an encoding (empty: no keys)
     * @return a sorted, unmodifiable map
     * @throws NullPointerException if {@code encoded} is null
     * @throws IllegalArgumentException naming the text if it is not an encoding
     */
    public static SortedMap<String, String> decode(String encoded) {
        Objects.requireNonNull(encoded, "encoded must not be null");
        SortedMap<String, String> values = new TreeMap<>();
        if (encoded.isEmpty()) {
            return Collections.unmodifiableSortedMap(values);
        }
        for (String part : encoded.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = unescape(eq < 0 ? part : part.substring(0, eq), encoded);
            if (key.isEmpty() || values.containsKey(key)) {
                throw new IllegalArgumentException("not an encoding of keys and values: \"" + encoded + "\"");
            }
            values.put(key, eq < 0 ? null : unescape(part.substring(eq + 1), encoded));
        }
        return Collections.unmodifiableSortedMap(values);
    }

    private static void escape(StringBuilder s, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '%' -> s.append("%25");
                case ',' -> s.append("%2C");
                case '=' -> s.append("%3D");
                default -> s.append(c);
            }
        }
    }

    private static String unescape(String text, String whole) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                s.append(c);
                continue;
            }
            String code = i + 3 <= text.length() ? text.substring(i, i + 3) : "";
            switch (code) {
                case "%25" -> s.append('%');
                case "%2C" -> s.append(',');
                case "%3D" -> s.append('=');
                default ->
                    throw new IllegalArgumentException("not an encoding of keys and values (bad escape at \""
                            + text.substring(i) + "\"): \"" + whole + "\"");
            }
            i += 2;
        }
        return s.toString();
    }
}
