package io.github.zkharness.internal.server;

import io.github.zkharness.internal.DiskState;
import io.github.zkharness.internal.UnsyncedTail;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.server.DataTree;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.persistence.SnapShot;
import org.apache.zookeeper.server.persistence.SnapshotInfo;
import org.apache.zookeeper.server.persistence.TxnLog;
import org.apiguardian.api.API;

/**
 * The storage layer of one run of one peer: ZooKeeper's own {@link FileTxnSnapLog} on the node's directories,
 * which asks the node's {@link DiskState} before every write. Without a fault in force it adds one volatile
 * read per append and snapshot, and to each flush a lock and a note of how far the log file reached.
 *
 * <p>What it leans on, pinned for 3.8 and 3.9 by {@code NodeStorageContractTest}:
 * <ul>
 *   <li>the public {@link #append(Request)} and {@link #commit()}, through which ZooKeeper's
 *       {@code SyncRequestProcessor} (via {@code ZKDatabase}) appends every transaction and flushes each batch;</li>
 *   <li>the package-private field {@code snapLog} (a {@link SnapShot}, set in the constructor and again in
 *       {@link #truncateLog(long)}), whose {@code serialize} every snapshot goes through. {@code save}, the public
 *       method above it, returns {@code File} in 3.9 and {@code void} in 3.8, so one override cannot serve both
 *       versions: the harness wraps the field instead.</li>
 *   <li>for crashes: the package-private field {@code txnLog} of {@link FileTxnSnapLog} (a {@link FileTxnLog}), and
 *       in it the package-private {@code logFileWrite} (the log file being written) and {@code fos} (its stream
 *       below the buffer), and the private {@code streamsToFlush} (the open streams a flush forces).</li>
 * </ul>
 *
 * <p>Crashes: after {@link #crash()} nothing more reaches the node's files: appends, flushes, rolls, truncations
 * and snapshots are dropped, and closing the log closes its files without flushing ZooKeeper's buffer. Every flush
 * ({@code commit}) is a sync point: the layer notes how far each log file was written then, so that
 * {@link #losePower(Random, Random)} can take back what was written since (ZooKeeper's fsync itself may be off).
 * A snapshot ZooKeeper does not ask to force ({@code serialize}'s {@code fsync} false: every snapshot but the one
 * after a SNAP sync) is at risk until the next sync point; see {@link UnsyncedTail}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NodeStorage extends FileTxnSnapLog {

    private static final Field SNAP_LOG = snapLogField();
    private static final Field TXN_LOG = field(FileTxnSnapLog.class, "txnLog", TxnLog.class);
    private static final Field LOG_FILE = field(FileTxnLog.class, "logFileWrite", File.class);
    private static final Field LOG_STREAM = field(FileTxnLog.class, "fos", FileOutputStream.class);
    private static final Field OPEN_STREAMS = field(FileTxnLog.class, "streamsToFlush", Queue.class);

    private final DiskState disk;
    private volatile boolean stopping;
    private final BooleanSupplier isStopping = () -> stopping;
    private volatile boolean crashed;
    private final UnsyncedTail tail = new UnsyncedTail();
    /** Held while ZooKeeper writes a snapshot: a power loss waits for a write that began before the crash. */
    private final ReentrantLock writingSnapshot = new ReentrantLock();

    /** ZooKeeper's storage on {@code dataLogDir} (the log) and {@code dataDir} (the snapshots), with {@code disk}'s faults. */
    public NodeStorage(File dataLogDir, File dataDir, DiskState disk) throws IOException {
        super(dataLogDir, dataDir);
        this.disk = disk;
        wrapSnapshots();
    }

    /** The node is being stopped: writes a slow fault holds end now, and later ones are not held. */
    public void stopping() {
        stopping = true;
        disk.wakeStalledWrites();
    }

    /**
     * The process crashed, now: from here on nothing reaches the node's files. A write already past its check
     * ends (it happened before the crash); one a slow fault holds is dropped when it wakes. Also {@link #stopping()}.
     */
    public void crash() {
        synchronized (tail) {
            if (!crashed) {
                noteWritten(); // what reached the OS at the instant of the crash, buffer overflows included
                tail.crashed(); // and of a snapshot being written
                crashed = true;
            }
        }
        stopping();
    }

    /** Whether {@link #crash()} was called. */
    public boolean crashed() {
        return crashed;
    }

    /**
     * A power loss after the crash, once ZooKeeper stopped: what each log file got since its last sync is lost,
     * except the part {@code survival} lets survive (null: nothing survives), and so is each snapshot not forced
     * that was written since the last sync, except what {@code snapshotSurvival} lets survive (null: nothing). A
     * snapshot still being written when the crash came is cut back to what it had then. Returns what it did, one
     * line a file.
     *
     * @throws IllegalStateException before {@link #crash()}
     * @throws IOException if a file cannot be cut, or a snapshot begun before the crash is still being written 30 s on
     */
    public List<UnsyncedTail.Cut> losePower(Random survival, Random snapshotSurvival) throws IOException {
        if (!crashed) {
            throw new IllegalStateException("a power loss needs a crashed storage layer: crash() first");
        }
        try {
            if (!writingSnapshot.tryLock(30, TimeUnit.SECONDS)) {
                throw new IOException("a snapshot ZooKeeper began before the crash was still being written 30 s later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a snapshot write to end");
        }
        try {
            synchronized (tail) {
                return tail.losePower(survival, snapshotSurvival);
            }
        } finally {
            writingSnapshot.unlock();
        }
    }

    @Override
    public boolean append(Request request) throws IOException {
        if (disk.hasFaults()) {
            disk.beforeLogWrite("transaction log append", false, isStopping);
        }
        if (crashed) {
            return true; // a dead process appends nothing
        }
        return super.append(request);
    }

    @Override
    public void commit() throws IOException {
        if (disk.hasFaults()) {
            disk.beforeLogWrite("transaction log flush", true, isStopping);
        }
        synchronized (tail) {
            if (crashed) {
                return; // ZooKeeper's buffer dies with the process
            }
            super.commit();
            noteWritten();
            tail.synced(); // commit forced every open stream (or would have, with forceSync)
        }
    }

    @Override
    public void rollLog() throws IOException {
        synchronized (tail) {
            if (crashed) {
                return;
            }
            super.rollLog(); // flushes the buffer of the file it leaves
            noteWritten();
        }
    }

    @Override
    public boolean truncateLog(long zxid) {
        synchronized (tail) {
            if (crashed) {
                return true; // ZooKeeper would ask the JVM to exit on false; a dead process truncates nothing
            }
            boolean truncated = super.truncateLog(zxid);
            tail.forget(); // ZooKeeper rewrote the files; they count as synced
            wrapSnapshots(); // ZooKeeper opened a new SnapShot
            return truncated;
        }
    }

    @Override
    public void close() throws IOException {
        if (!crashed) {
            super.close();
            return;
        }
        // close the files below ZooKeeper's buffer: closing its BufferedOutputStream would flush it
        synchronized (tail) {
            FileTxnLog log = txnLog();
            if (log != null) {
                synchronized (log) {
                    for (Object stream : (Queue<?>) get(OPEN_STREAMS, log)) {
                        ((FileOutputStream) stream).close();
                    }
                }
            }
            SnapShot snapshots = (SnapShot) get(SNAP_LOG, this);
            if (snapshots != null) {
                snapshots.close();
            }
        }
    }

    /** Notes how far the log file being written reached the OS. Called holding {@code tail}. */
    private void noteWritten() {
        FileTxnLog log = txnLog();
        if (log == null) {
            return;
        }
        synchronized (log) {
            File file = (File) get(LOG_FILE, log);
            FileOutputStream stream = (FileOutputStream) get(LOG_STREAM, log);
            if (file != null && stream != null) {
                try {
                    tail.written(file, stream.getChannel().position());
                } catch (IOException e) {
                    // a closed stream: its file was noted when it was last written
                }
            }
        }
    }

    private FileTxnLog txnLog() {
        return get(TXN_LOG, this) instanceof FileTxnLog log ? log : null;
    }

    private static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field + ": " + e, e);
        }
    }

    private static Field field(Class<?> owner, String name, Class<?> type) {
        try {
            Field field = owner.getDeclaredField(name);
            if (!type.isAssignableFrom(field.getType())) {
                throw new IllegalStateException(owner.getName() + "." + name + " is a "
                        + field.getType().getName()
                        + ", not a " + type.getName() + ": this ZooKeeper differs from 3.8/3.9 and zk-harness cannot"
                        + " crash its nodes");
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    owner.getName() + " has no field " + name + ": this ZooKeeper differs from 3.8/3.9 and zk-harness"
                            + " cannot crash its nodes",
                    e);
        }
    }

    private void wrapSnapshots() {
        try {
            SnapShot current = (SnapShot) SNAP_LOG.get(this);
            if (current != null && !(current instanceof FaultySnapshots)) {
                SNAP_LOG.set(this, new FaultySnapshots(current));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach FileTxnSnapLog.snapLog: " + e, e);
        }
    }

    private static Field snapLogField() {
        try {
            Field field = FileTxnSnapLog.class.getDeclaredField("snapLog");
            if (field.getType() != SnapShot.class) {
                throw new IllegalStateException(
                        "FileTxnSnapLog.snapLog is a " + field.getType().getName()
                                + ", not a SnapShot: this ZooKeeper differs from 3.8/3.9 and zk-harness cannot apply disk faults");
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "FileTxnSnapLog has no field snapLog: this ZooKeeper differs from 3.8/3.9"
                            + " and zk-harness cannot apply disk faults to snapshots",
                    e);
        }
    }

    /** ZooKeeper's snapshots, asking the disk before each write. */
    private final class FaultySnapshots implements SnapShot {
        private final SnapShot snapshots;

        FaultySnapshots(SnapShot snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        public long deserialize(DataTree dt, Map<Long, Integer> sessions) throws IOException {
            return snapshots.deserialize(dt, sessions);
        }

        @Override
        public void serialize(DataTree dt, Map<Long, Integer> sessions, File name, boolean fsync) throws IOException {
            disk.beforeSnapshotWrite(isStopping);
            writingSnapshot.lock();
            try {
                synchronized (tail) {
                    if (crashed) {
                        return; // a dead process writes no snapshot
                    }
                    if (fsync) {
                        tail.snapshotForced(name); // ZooKeeper forces it before it gets its name
                    } else {
                        tail.snapshotStarted(name);
                    }
                }
                snapshots.serialize(dt, sessions, name, fsync);
                if (!fsync) {
                    synchronized (tail) {
                        tail.snapshotWritten(name);
                    }
                }
            } finally {
                writingSnapshot.unlock();
            }
        }

        @Override
        public File findMostRecentSnapshot() throws IOException {
            return snapshots.findMostRecentSnapshot();
        }

        @Override
        public SnapshotInfo getLastSnapshotInfo() {
            return snapshots.getLastSnapshotInfo();
        }

        @Override
        public void close() throws IOException {
            snapshots.close();
        }
    }
}
