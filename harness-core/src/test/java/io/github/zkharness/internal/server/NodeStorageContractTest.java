package io.github.zkharness.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.zkharness.DiskFailure;
import io.github.zkharness.Fault;
import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.internal.DiskState;
import io.github.zkharness.testkit.Clients;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.io.FileUtils;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.DataTree;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.persistence.SnapShot;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.TxnHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Pins what {@link NodeStorage} relies on in ZooKeeper (3.9 here, 3.8 in compat-zookeeper-38): the overridable
 * public methods of {@link FileTxnSnapLog} it overrides, the field {@code snapLog} it wraps, the log's fields a
 * crash reads, and that ZooKeeper
 * really calls them when it writes: appends on the {@code SyncThread}, a flush per batch, every snapshot.
 */
class NodeStorageContractTest {

    @Test
    void theMethodsAndTheFieldTheStorageLayerUsesAreThere() throws Exception {
        Method append = FileTxnSnapLog.class.getMethod("append", Request.class);
        assertEquals(boolean.class, append.getReturnType());
        Method commit = FileTxnSnapLog.class.getMethod("commit");
        assertEquals(void.class, commit.getReturnType());
        Method truncate = FileTxnSnapLog.class.getMethod("truncateLog", long.class);
        assertEquals(boolean.class, truncate.getReturnType());
        Method roll = FileTxnSnapLog.class.getMethod("rollLog");
        Method close = FileTxnSnapLog.class.getMethod("close");
        for (Method m : new Method[] {append, commit, truncate, roll, close}) {
            assertFalse(Modifier.isFinal(m.getModifiers()), m + " must stay overridable");
            assertEquals(
                    NodeStorage.class,
                    NodeStorage.class
                            .getMethod(m.getName(), m.getParameterTypes())
                            .getDeclaringClass(),
                    m + " must be overridden by NodeStorage");
        }
        // what a crash reads and closes below ZooKeeper's buffer
        assertEquals(
                org.apache.zookeeper.server.persistence.TxnLog.class,
                FileTxnSnapLog.class.getDeclaredField("txnLog").getType());
        Class<?> log = org.apache.zookeeper.server.persistence.FileTxnLog.class;
        assertEquals(File.class, log.getDeclaredField("logFileWrite").getType());
        assertEquals(java.io.FileOutputStream.class, log.getDeclaredField("fos").getType());
        assertEquals(
                java.util.Queue.class, log.getDeclaredField("streamsToFlush").getType());
        Field snapLog = FileTxnSnapLog.class.getDeclaredField("snapLog");
        assertEquals(SnapShot.class, snapLog.getType());
        assertFalse(Modifier.isFinal(snapLog.getModifiers()));
        assertEquals(
                void.class,
                SnapShot.class
                        .getMethod("serialize", DataTree.class, Map.class, File.class, boolean.class)
                        .getReturnType());
    }

    @Test
    void everySnapshotGoesThroughTheWrappedFieldAlsoAfterATruncation() throws Exception {
        Path dir = Files.createTempDirectory("zk-harness-storage-contract-");
        try {
            DiskState disk = new DiskState(1);
            disk.oneDisk(false); // so that a full snapshot disk leaves the log alone
            NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), disk);
            Fault full = disk.full(DiskState.Disk.SNAPSHOTS);
            assertNoSpace(() -> save(storage));
            TxnHeader header = new TxnHeader(1, 1, 1, 1, ZooDefs.OpCode.create);
            CreateTxn create = new CreateTxn("/a", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, false, 1);
            assertTrue(storage.append(new Request(1, 1, ZooDefs.OpCode.create, header, create, 1)));
            storage.commit();
            assertTrue(storage.truncateLog(1)); // ZooKeeper opens a new SnapShot here
            assertNoSpace(() -> save(storage));
            full.heal();
            save(storage);
            assertThat(dir.resolve("version-2").toFile().list()).contains("snapshot.0");
            assertEquals(2, disk.failures().size());
            storage.close();
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    /** {@code save} returns File in 3.9 and nothing in 3.8: called by name so that this runs on both. */
    private static void save(FileTxnSnapLog storage) throws IOException {
        try {
            Method save =
                    FileTxnSnapLog.class.getMethod("save", DataTree.class, ConcurrentHashMap.class, boolean.class);
            save.invoke(storage, new DataTree(), new ConcurrentHashMap<Long, Integer>(), false);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new AssertionError(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void assertNoSpace(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            assertEquals(DiskState.NO_SPACE, e.getMessage());
            return;
        }
        throw new AssertionError("the write did not fail");
    }

    @Test
    void zooKeeperAppendsOnItsSyncThreadAndFlushesEveryBatchThroughTheStorageLayer() throws Exception {
        try (ZkEnsemble zk = ZkEnsemble.builder().voters(3).start();
                ZooKeeper client = Clients.connect(zk.leader().connectString())) {
            ZkNode follower = zk.followers().get(0);
            try (Fault full = follower.disk().fullLog()) {
                Clients.create(client, "/a", "a");
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> !follower.disk().failures().isEmpty());
                DiskFailure failure = follower.disk().failures().get(0);
                assertThat(failure.what()).startsWith("transaction log append");
                assertThat(failure.threadName()).startsWith("SyncThread");
            }
            follower.awaitServing(Duration.ofSeconds(20));
            // a flush delay on the leader and a follower is on the path of every write: commit() is called per batch
            try (Fault a = zk.leader().disk().slowLog(Duration.ofMillis(300), Duration.ZERO);
                    Fault b = follower.disk().slowLog(Duration.ofMillis(300), Duration.ZERO)) {
                long start = System.nanoTime();
                Clients.create(client, "/b", "b");
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms >= 300, "a write took " + ms + " ms with slow flushes on a quorum");
            }
        }
    }
}
