package io.github.zkharness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.zkharness.internal.server.NodeStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.commons.io.FileUtils;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.TxnHeader;
import org.junit.jupiter.api.Test;

/** A power loss on log files and snapshots ZooKeeper's own storage wrote through {@link NodeStorage}. */
class UnsyncedTailTest {

    @Test
    void nothingUnsyncedSurvivesWithoutASeedAndEachSeededSurvivalKeepsWhatItSays() throws Exception {
        Set<UnsyncedTail.Survival> seen = EnumSet.noneOf(UnsyncedTail.Survival.class);
        for (long seed = -1; seed < 40 && seen.size() < 4; seed++) {
            Path dir = Files.createTempDirectory("zk-harness-unsynced-");
            try {
                NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
                append(storage, 1);
                storage.commit(); // the sync point
                for (long zxid = 2; zxid <= 4; zxid++) {
                    append(storage, zxid); // large enough to go past ZooKeeper's buffer to the OS
                }
                storage.crash();
                storage.close();
                Path before = Files.createTempFile(dir, "before-", ".log");
                try (var logs = Files.list(dir.resolve("version-2"))) {
                    Files.copy(logs.findFirst().orElseThrow(), before, StandardCopyOption.REPLACE_EXISTING);
                }
                List<UnsyncedTail.Cut> cuts = storage.losePower(
                        seed < 0 ? null : new Random(new java.util.SplittableRandom(seed).nextLong()), null);
                assertEquals(1, cuts.size(), cuts.toString());
                UnsyncedTail.Cut cut = cuts.get(0);
                seen.add(cut.survival());
                List<Long> ends = UnsyncedTail.transactionEnds(before.toFile(), cut.synced(), cut.written());
                assertThat(ends).hasSize(2); // zxids 2 and 3 end before what was written; 4 ends at it
                switch (cut.survival()) {
                    case NONE -> assertEquals(cut.synced(), cut.kept());
                    case ALL -> assertEquals(cut.written(), cut.kept());
                    case WHOLE_TRANSACTIONS -> assertThat(ends).contains(cut.kept());
                    case TORN -> {
                        assertThat(cut.kept()).isBetween(cut.synced() + 1, cut.written() - 1);
                        assertThat(ends).doesNotContain(cut.kept());
                    }
                    case EMPTY -> throw new AssertionError("a synced file is never left empty: " + cut);
                }
                if (seed < 0) {
                    assertEquals(UnsyncedTail.Survival.NONE, cut.survival());
                }
                byte[] bytes = Files.readAllBytes(cut.file().toPath());
                for (long i = cut.kept(); i < cut.written(); i++) {
                    assertEquals(0, bytes[(int) i], "byte " + i + " should read as never written");
                }
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
        // EMPTY is for a file never synced, and this one was
        assertEquals(
                EnumSet.complementOf(EnumSet.of(UnsyncedTail.Survival.EMPTY)),
                seen,
                "40 seeds should draw every survival of a synced file");
    }

    @Test
    void aLogFileNeverSyncedIsGoneAfterAPowerLoss() throws Exception {
        Path dir = Files.createTempDirectory("zk-harness-unsynced-");
        try {
            NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
            append(storage, 1); // the file and a transaction that went past the buffer, never flushed
            storage.crash();
            storage.close();
            List<UnsyncedTail.Cut> cuts = storage.losePower(null, null);
            assertEquals(1, cuts.size(), cuts.toString());
            assertThat(cuts.get(0).description()).endsWith("is gone");
            assertThat(cuts.get(0).file()).doesNotExist();
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    @Test
    void seedsMayLeaveALogFileNeverSyncedEmptyOrTornButNeverInsideItsHeader() throws Exception {
        java.util.Set<UnsyncedTail.Survival> seen = EnumSet.noneOf(UnsyncedTail.Survival.class);
        for (long seed = 0; seed < 40; seed++) {
            Path dir = Files.createTempDirectory("zk-harness-unsynced-");
            try {
                NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
                append(storage, 1);
                storage.crash();
                storage.close();
                List<UnsyncedTail.Cut> cuts = storage.losePower(new Random(seed), null);
                assertEquals(1, cuts.size(), cuts.toString());
                UnsyncedTail.Cut cut = cuts.get(0);
                seen.add(cut.survival());
                if (cut.survival() == UnsyncedTail.Survival.EMPTY) {
                    assertThat(cut.file()).exists().isEmpty();
                    assertThat(cut.description()).endsWith("is empty: its name reached the disk, none of its bytes");
                }
                // the header is written by itself in the file's first sector: whole or not at all, never torn
                assertThat(cut.kept() == 0 || cut.kept() >= UnsyncedTail.HEADER)
                        .as("kept %d bytes of a 16-byte header: %s", cut.kept(), cut)
                        .isTrue();
                if (cut.survival() == UnsyncedTail.Survival.TORN) {
                    assertThat(cut.kept()).isGreaterThan(UnsyncedTail.HEADER);
                }
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
        assertThat(seen).contains(UnsyncedTail.Survival.EMPTY, UnsyncedTail.Survival.NONE, UnsyncedTail.Survival.TORN);
    }

    @Test
    void whatSurvivesKeepsTheOrderOfTheWritesAcrossLogFiles() throws Exception {
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (long seed = 0; seed < 60; seed++) {
            Path dir = Files.createTempDirectory("zk-harness-unsynced-");
            try {
                NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
                append(storage, 1); // log.1, never synced
                storage.rollLog();
                append(storage, 2); // log.2, never synced, written after all of log.1
                storage.crash();
                storage.close();
                List<UnsyncedTail.Cut> cuts = storage.losePower(new Random(seed), null);
                assertEquals(2, cuts.size(), cuts.toString());
                UnsyncedTail.Cut older = cuts.get(0);
                UnsyncedTail.Cut newer = cuts.get(1);
                assertThat(older.file().getName()).isEqualTo("log.1");
                seen.add(older.survival() + "/" + newer.survival());
                if (newer.kept() > 0) {
                    assertEquals(older.written(), older.kept(), "a newer file kept bytes: the older keeps all " + cuts);
                }
                if (newer.file().exists()) {
                    assertThat(older.file())
                            .as("older gone while a newer one stayed: %s", cuts)
                            .exists();
                }
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
        assertThat(seen).contains("NONE/NONE", "ALL/TORN", "EMPTY/EMPTY");
    }

    @Test
    void aTornWriteNeverEndsInsideTheHeaderOfAFileNeverSynced() {
        // a never-synced file of a 16-byte header and one 30-byte transaction; a tear may fall in the transaction only
        List<Long> ends = List.of((long) UnsyncedTail.HEADER);
        for (long seed = 0; seed < 200; seed++) {
            long kept = UnsyncedTail.torn(new Random(seed), 0, 46, ends);
            assertThat(kept).as("seed %d", seed).isBetween((long) UnsyncedTail.HEADER + 1, 45L);
        }
        // a header and nothing after it: nothing to tear
        assertEquals(0, UnsyncedTail.torn(new Random(1), 0, UnsyncedTail.HEADER, ends));
    }

    @Test
    void aSnapshotNotForcedAndNotFollowedByASyncIsKeptGoneEmptyOrTornAsTheSeedChooses() throws Exception {
        Set<UnsyncedTail.Survival> seen = EnumSet.noneOf(UnsyncedTail.Survival.class);
        for (long seed = -1; seed < 40; seed++) {
            Path dir = Files.createTempDirectory("zk-harness-unsynced-");
            try {
                NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
                append(storage, 1);
                storage.commit(); // the log is synced; the snapshot below comes after the last sync
                Path snapshot = save(storage, 1, false);
                long written = Files.size(snapshot);
                storage.crash();
                storage.close();
                List<UnsyncedTail.Cut> cuts = storage.losePower(
                        null, seed < 0 ? null : new Random(new java.util.SplittableRandom(seed).nextLong()));
                assertEquals(1, cuts.size(), cuts.toString()); // the log lost nothing: it was synced
                UnsyncedTail.Cut cut = cuts.get(0);
                assertEquals(snapshot.toFile(), cut.file());
                assertEquals(written, cut.written());
                seen.add(cut.survival());
                switch (cut.survival()) {
                    case NONE -> {
                        assertThat(snapshot).doesNotExist();
                        assertThat(cut.description()).endsWith("is gone");
                    }
                    case EMPTY -> assertThat(snapshot).exists().isEmptyFile();
                    case TORN -> {
                        assertThat(Files.size(snapshot)).isBetween(1L, written - 1);
                        assertThat(cut.description()).endsWith("(a torn write)");
                    }
                    case ALL -> assertEquals(written, Files.size(snapshot));
                    case WHOLE_TRANSACTIONS -> throw new AssertionError("a snapshot has no transactions: " + cut);
                }
                if (seed < 0) {
                    assertEquals(
                            UnsyncedTail.Survival.NONE, cut.survival(), "nothing unsynced survives without a seed");
                }
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
        assertEquals(
                EnumSet.of(
                        UnsyncedTail.Survival.NONE,
                        UnsyncedTail.Survival.EMPTY,
                        UnsyncedTail.Survival.TORN,
                        UnsyncedTail.Survival.ALL),
                seen,
                "40 seeds should keep, lose, empty and tear an unsynced snapshot");
    }

    @Test
    void aSnapshotALogSyncFollowedAndAForcedSnapshotSurviveAPowerLoss() throws Exception {
        Path dir = Files.createTempDirectory("zk-harness-unsynced-");
        try {
            NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
            append(storage, 1);
            storage.commit();
            Path followed = save(storage, 1, false);
            append(storage, 2);
            storage.commit(); // a sync writes out what every file got before it
            Path forced = save(storage, 2, true); // what ZooKeeper does after a SNAP sync: forced before named
            long followedLength = Files.size(followed);
            long forcedLength = Files.size(forced);
            storage.crash();
            storage.close();
            assertThat(storage.losePower(null, null)).isEmpty();
            assertEquals(followedLength, Files.size(followed));
            assertEquals(forcedLength, Files.size(forced));
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    @Test
    void aSnapshotRewrittenUnderTheNameOfOneOnTheDiskIsNotPutAtRisk() throws Exception {
        Path dir = Files.createTempDirectory("zk-harness-unsynced-");
        try {
            NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
            Path forced = save(storage, 7, true); // after a SNAP sync: the log has nothing before zxid 7
            long length = Files.size(forced);
            save(storage, 7, false); // a leader's snapshot when it loads its data, nothing new since: the same name
            Path fresh = save(storage, 8, false); // a new name: at risk
            storage.crash();
            storage.close();
            List<UnsyncedTail.Cut> cuts = storage.losePower(null, null);
            assertThat(cuts).extracting(UnsyncedTail.Cut::file).containsExactly(fresh.toFile());
            assertEquals(length, Files.size(forced));
            assertThat(fresh).doesNotExist();
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    /**
     * ZooKeeper's {@code FileTxnSnapLog.save} of a tree at {@code zxid}; called by reflection, since it returns
     * {@code File} in 3.9 and nothing in 3.8 (these tests also run on 3.8).
     */
    private static Path save(NodeStorage storage, long zxid, boolean fsync) throws Exception {
        org.apache.zookeeper.server.DataTree tree = new org.apache.zookeeper.server.DataTree();
        tree.lastProcessedZxid = zxid;
        storage.getClass()
                .getMethod(
                        "save",
                        org.apache.zookeeper.server.DataTree.class,
                        java.util.concurrent.ConcurrentHashMap.class,
                        boolean.class)
                .invoke(storage, tree, new java.util.concurrent.ConcurrentHashMap<Long, Integer>(), fsync);
        Path snapshot = storage.getSnapDir().toPath().resolve("snapshot." + Long.toHexString(zxid));
        assertThat(snapshot).exists();
        return snapshot;
    }

    private static void append(NodeStorage storage, long zxid) throws Exception {
        TxnHeader header = new TxnHeader(1, 1, zxid, zxid, ZooDefs.OpCode.create);
        byte[] data = new byte[10_000]; // more than ZooKeeper's 8 KB buffer: written straight through at append
        java.util.Arrays.fill(data, (byte) 'x');
        CreateTxn create = new CreateTxn("/n" + zxid, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, false, 1);
        storage.append(new Request(1, 1, ZooDefs.OpCode.create, header, create, zxid));
    }
}
