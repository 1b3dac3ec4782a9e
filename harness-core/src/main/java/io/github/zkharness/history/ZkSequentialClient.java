package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apiguardian.api.API;

/**
 * Creates sequential znodes on ZooKeeper and records each create in a {@link History} as an operation of kind
 * {@link #CREATE_SEQUENTIAL}: its key is the parent's path, its value the name prefix asked for, and when OK its result
 * is the name ZooKeeper gave the new child (the prefix followed by a ten-digit sequence number, e.g.
 * {@code job-0000000042}). What ZooKeeper promises about those numbers is checked by
 * {@code io.github.zkharness.check.SequentialNumbering} (unique per parent, increasing in real time).
 *
 * <p>A create that finds no parent creates the parent and its ancestors (unrecorded, persistent, empty) and tries
 * again within the same operation: {@code NoNode} definitely changed nothing. Outcomes follow {@link ZkOutcomes}:
 * {@code ConnectionLoss}, {@code OperationTimeout}, {@code SessionExpired} and interrupts are UNKNOWN (the node may
 * have been created, with a number nobody saw), definite errors are FAIL. No method throws a ZooKeeper exception;
 * when interrupted, the thread's interrupt flag is set again on return.
 *
 * <p>One instance is one process: use it from one thread at a time.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZkSequentialClient {

    /** The kind of a recorded sequential create. */
    public static final OpKind CREATE_SEQUENTIAL = OpKind.of("create-sequential");

    private final ZooKeeper zk;
    private final int process;
    private final History history;

    /**
     * A recording client.
     *
     * @param zk a connected ZooKeeper client (the caller keeps and closes it)
     * @param process this client's process id in the history
     * @param history where every create is recorded
     * @throws NullPointerException if {@code zk} or {@code history} is null
     */
    public ZkSequentialClient(ZooKeeper zk, int process, History history) {
        this.zk = Objects.requireNonNull(zk, "zk must not be null");
        this.history = Objects.requireNonNull(history, "history must not be null");
        this.process = process;
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
     * Creates a {@link CreateMode#PERSISTENT_SEQUENTIAL} child of {@code parent} named {@code prefix} plus its number.
     *
     * @param parent the parent's absolute path, e.g. {@code /queue}
     * @param prefix the child's name before the number, e.g. {@code job-}; may be empty, no '/'
     * @return the recorded create: OK with the child's name, FAIL or UNKNOWN
     * @throws NullPointerException if {@code parent} or {@code prefix} is null
     * @throws IllegalArgumentException if {@code parent} is not an absolute path without a trailing slash, or
     *     {@code prefix} holds a '/'
     */
    public Operation create(String parent, String prefix) {
        return create(parent, prefix, CreateMode.PERSISTENT_SEQUENTIAL);
    }

    /**
     * Creates a sequential child of {@code parent} named {@code prefix} plus its number, in {@code mode}.
     *
     * @param parent the parent's absolute path, e.g. {@code /queue}
     * @param prefix the child's name before the number; may be empty, no '/'
     * @param mode a sequential mode ({@code PERSISTENT_SEQUENTIAL}, {@code EPHEMERAL_SEQUENTIAL}, ...)
     * @return the recorded create: OK with the child's name, FAIL or UNKNOWN
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code parent} is not an absolute path without a trailing slash,
     *     {@code prefix} holds a '/', or {@code mode} is not sequential
     */
    public Operation create(String parent, String prefix, CreateMode mode) {
        Objects.requireNonNull(parent, "parent must not be null");
        Objects.requireNonNull(prefix, "prefix must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        if (!parent.startsWith("/") || (parent.length() > 1 && parent.endsWith("/"))) {
            throw new IllegalArgumentException("parent must be an absolute znode path like /queue, got " + parent);
        }
        if (prefix.indexOf('/') >= 0) {
            throw new IllegalArgumentException("prefix is part of one znode name (no '/'), got " + prefix);
        }
        if (!mode.isSequential()) {
            throw new IllegalArgumentException("mode must be sequential, got " + mode);
        }
        String path = (parent.equals("/") ? "" : parent) + "/" + prefix;
        Op op = history.invoke(process, CREATE_SEQUENTIAL, parent, prefix);
        byte[] data = ("p" + process).getBytes(StandardCharsets.UTF_8);
        try {
            String created;
            try {
                created = zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, mode);
            } catch (KeeperException.NoNodeException e) {
                if (!ensure(parent)) {
                    return op.fail("could not create the parent " + parent);
                }
                created = zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, mode);
            }
            return op.ok(created.substring(created.lastIndexOf('/') + 1));
        } catch (KeeperException e) {
            return op.complete(
                    ZkOutcomes.classify(CREATE_SEQUENTIAL, e), e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return op.unknown("InterruptedException");
        } catch (RuntimeException e) {
            return op.complete(
                    ZkOutcomes.classify(CREATE_SEQUENTIAL, e), e.getClass().getSimpleName());
        }
    }

    private boolean ensure(String path) throws InterruptedException {
        return ZnodePaths.ensure(zk, path);
    }

    /**
     * The sequence number in a sequential znode's name: the digits at its end (ZooKeeper appends ten).
     *
     * @param name a child's name, e.g. {@code job-0000000042}
     * @return the number, e.g. 42
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException naming the name if it does not end with ten digits
     */
    public static long sequenceNumber(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.length() < 10) {
            throw new IllegalArgumentException("a sequential znode's name ends with ten digits, got \"" + name + "\"");
        }
        String digits = name.substring(name.length() - 10);
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if ((c < '0' || c > '9') && !(i == 0 && c == '-')) {
                throw new IllegalArgumentException(
                        "a sequential znode's name ends with ten digits, got \"" + name + "\"");
            }
        }
        return Long.parseLong(digits);
    }
}
