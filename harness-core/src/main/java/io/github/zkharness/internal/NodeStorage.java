package io.github.zkharness.internal;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.server.DataTree;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.persistence.SnapShot;
import org.apache.zookeeper.server.persistence.SnapshotInfo;
import org.apiguardian.api.API;

/**
 * The storage layer of one run of one peer: ZooKeeper's own {@link FileTxnSnapLog} on the node's directories,
 * which asks the node's {@link DiskState} before every write. Without a fault in force it adds one volatile
 * read per append, flush and snapshot.
 *
 * <p>What it leans on, pinned for 3.8 and 3.9 by {@code NodeStorageContractTest}:
 * <ul>
 *   <li>the public {@link #append(Request)} and {@link #commit()}, through which ZooKeeper's
 *       {@code SyncRequestProcessor} (via {@code ZKDatabase}) appends every transaction and flushes each batch;</li>
 *   <li>the package-private field {@code snapLog} (a {@link SnapShot}, set in the constructor and again in
 *       {@link #truncateLog(long)}), whose {@code serialize} every snapshot goes through. {@code save}, the public
 *       method above it, returns {@code File} in 3.9 and {@code void} in 3.8, so one override cannot serve both
 *       versions: the harness wraps the field instead.</li>
 * </ul>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NodeStorage extends FileTxnSnapLog {

    private static final Field SNAP_LOG = snapLogField();

    private final DiskState disk;
    private volatile boolean stopping;
    private final BooleanSupplier isStopping = () -> stopping;

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

    @Override
    public boolean append(Request request) throws IOException {
        if (disk.hasFaults()) {
            disk.beforeLogWrite("transaction log append", false, isStopping);
        }
        return super.append(request);
    }

    @Override
    public void commit() throws IOException {
        if (disk.hasFaults()) {
            disk.beforeLogWrite("transaction log flush", true, isStopping);
        }
        super.commit();
    }

    @Override
    public boolean truncateLog(long zxid) {
        boolean truncated = super.truncateLog(zxid);
        wrapSnapshots(); // ZooKeeper opened a new SnapShot
        return truncated;
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
            snapshots.serialize(dt, sessions, name, fsync);
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
