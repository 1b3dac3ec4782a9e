package io.github.zkharness.internal;

import io.github.zkharness.DiskDamage;
import io.github.zkharness.DiskFailure;
import io.github.zkharness.Fault;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apiguardian.api.API;

/**
 * The disk faults of one node, kept across its runs: what its {@link NodeStorage} asks before every write of the
 * transaction log or of a snapshot, and what those faults did. Thread-safe; called from ZooKeeper's threads.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class DiskState {

    /** Which of the node's two disks (as ZooKeeper sees them) a fault is on. */
    public enum Disk {
        /** The transaction log's ({@code dataLogDir}). */
        LOG("log"),
        /** The snapshots' ({@code dataDir}). */
        SNAPSHOTS("snapshot");

        private final String word;

        Disk(String word) {
            this.word = word;
        }
    }

    /** What a full disk says, word for word as the JDK reports {@code ENOSPC}. */
    public static final String NO_SPACE = "No space left on device";

    /** How many failures are kept: the newest. */
    static final int KEPT = 100;

    private final int nodeId;
    private volatile boolean oneDisk = true;
    private final List<DiskFault> faults = new CopyOnWriteArrayList<>();
    private final List<DiskFailure> failures = new CopyOnWriteArrayList<>();
    /** The last failure injected on each thread: what explains an exit request made by that thread. */
    private final Map<Thread, DiskFailure> lastOnThread = Collections.synchronizedMap(new WeakHashMap<>());

    /** Damage done at rest since the node last started, oldest first. */
    private final List<DiskDamage> damage = new CopyOnWriteArrayList<>();

    public DiskState(int nodeId) {
        this.nodeId = nodeId;
    }

    /** The server id. */
    public int nodeId() {
        return nodeId;
    }

    /** Whether the log and the snapshots share one disk. */
    public boolean oneDisk() {
        return oneDisk;
    }

    /** Says whether the node's log and snapshots share one directory, and so one disk. */
    public void oneDisk(boolean shared) {
        this.oneDisk = shared;
    }

    // ------------------------------------------------------------------------------ faults

    /** Adds a slow fault on {@code disk}. */
    public Fault slow(Disk disk, Duration delay, Duration jitter) {
        String text = "slow " + disk.word + " disk of node " + nodeId + ": +" + delay.toMillis() + " ms"
                + (jitter.isZero() ? "" : " +" + jitter.toMillis() + " ms jitter")
                + (disk == Disk.LOG ? " per log flush" : " per snapshot") + sharing(disk);
        return add(new DiskFault(text, disk, false, delay, jitter));
    }

    /** Adds a full-disk fault on {@code disk}. */
    public Fault full(Disk disk) {
        String text =
                "full " + disk.word + " disk of node " + nodeId + ": writes fail with " + NO_SPACE + sharing(disk);
        return add(new DiskFault(text, disk, true, Duration.ZERO, Duration.ZERO));
    }

    private String sharing(Disk disk) {
        return oneDisk ? " (" + (disk == Disk.LOG ? "snapshots" : "the log") + " on the same disk)" : "";
    }

    private Fault add(DiskFault fault) {
        faults.add(fault);
        return fault;
    }

    /** Whether any fault is in force: the one question a write asks when there is none. */
    public boolean hasFaults() {
        return !faults.isEmpty();
    }

    /** The faults in force, oldest first. */
    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Heals every fault of this node. */
    public void healAll() {
        for (DiskFault f : faults) {
            f.heal();
        }
    }

    /** Wakes every write a slow fault holds, so that it looks again whether it still has to wait. */
    public synchronized void wakeStalledWrites() {
        notifyAll();
    }

    /** What injected faults did to this node, oldest first. */
    public List<DiskFailure> failures() {
        return List.copyOf(failures);
    }

    /** Notes damage done to the stopped node's files. */
    public void damaged(DiskDamage done) {
        damage.add(done);
    }

    /** Damage done at rest since the node last started, oldest first. */
    public List<DiskDamage> pendingDamage() {
        return List.copyOf(damage);
    }

    /** The node started with its files as they are: the damage is no longer pending. */
    public void startedWithDamage() {
        damage.clear();
    }

    // ------------------------------------------------------------------------------ asked by the storage layer

    /**
     * Called before a write of the transaction log ({@code what}: append or flush): fails it when the log's disk
     * is full, delays it when that disk is slow (only flushes are delayed).
     */
    public void beforeLogWrite(String what, boolean flush, BooleanSupplier stopping) throws IOException {
        before(Disk.LOG, what, flush, stopping);
    }

    /** Called before a snapshot is written. */
    public void beforeSnapshotWrite(BooleanSupplier stopping) throws IOException {
        before(Disk.SNAPSHOTS, "snapshot write", true, stopping);
    }

    private void before(Disk disk, String what, boolean delays, BooleanSupplier stopping) throws IOException {
        if (faults.isEmpty()) {
            return;
        }
        List<DiskFault> slow = new ArrayList<>();
        for (DiskFault f : faults) {
            if (!f.isActive() || !(f.disk == disk || oneDisk)) {
                continue;
            }
            if (f.full) {
                fail(f, what);
            } else if (delays) {
                slow.add(f);
            }
        }
        if (!slow.isEmpty()) {
            stall(slow, stopping);
        }
    }

    private void fail(DiskFault fault, String what) throws IOException {
        Thread thread = Thread.currentThread();
        String consequence = consequence(what, thread.getName());
        DiskFailure failure = new DiskFailure(
                nodeId,
                what + " failed: " + NO_SPACE,
                thread.getName(),
                Instant.now(),
                fault.description(),
                consequence);
        record(failure);
        lastOnThread.put(thread, failure);
        throw new IOException(NO_SPACE);
    }

    private static String consequence(String what, String thread) {
        if (thread.startsWith("SyncThread")) {
            return "its SyncThread ends, ZooKeeper stops the server (state ERROR) and the node elects again";
        }
        if (thread.startsWith("QuorumPeer") && what.startsWith("transaction log")) {
            return "the node gives up syncing with the leader and elects again";
        }
        if (what.startsWith("snapshot")) {
            return "ZooKeeper treats a failed snapshot as fatal";
        }
        return "";
    }

    private synchronized void record(DiskFailure failure) {
        failures.add(failure);
        if (failures.size() > KEPT) {
            failures.remove(0); // the newest tell what the node goes through now
        }
    }

    /** Waits out the delays of {@code slow}; ends early once they are healed or the node is being stopped. */
    private void stall(List<DiskFault> slow, BooleanSupplier stopping) {
        long nanos = 0;
        for (DiskFault f : slow) {
            long jitter = f.jitter.toNanos();
            nanos += f.delay.toNanos()
                    + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
        }
        long deadline = System.nanoTime() + nanos;
        synchronized (this) {
            while (!stopping.getAsBoolean() && slow.stream().anyMatch(f -> f.isActive())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * If {@code thread} failed a write because of an injected fault, records that it then asked the JVM to exit
     * with {@code code} and returns that record; null when no fault explains the request.
     */
    public DiskFailure explainExit(Thread thread, int code) {
        DiskFailure cause = lastOnThread.remove(thread);
        if (cause == null) {
            return null;
        }
        DiskFailure crash = new DiskFailure(
                nodeId,
                "exit(" + code + ") requested after the " + cause.what(),
                thread.getName(),
                Instant.now(),
                cause.fault(),
                "the harness crashed node " + nodeId + " as that exit would have (state KILLED)");
        record(crash);
        return crash;
    }

    /** One live fault. */
    private final class DiskFault extends HealOnceFault {
        private final Disk disk;
        private final boolean full;
        private final Duration delay;
        private final Duration jitter;

        DiskFault(String description, Disk disk, boolean full, Duration delay, Duration jitter) {
            super(description);
            this.disk = disk;
            this.full = full;
            this.delay = delay;
            this.jitter = jitter;
        }

        @Override
        protected void undo() {
            faults.remove(this);
            synchronized (DiskState.this) {
                DiskState.this.notifyAll();
            }
        }
    }
}
