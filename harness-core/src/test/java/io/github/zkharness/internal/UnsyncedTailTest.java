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

/** A power loss on log files ZooKeeper's own storage wrote through {@link NodeStorage}. */
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
                        seed < 0 ? null : new Random(new java.util.SplittableRandom(seed).nextLong()));
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
            List<UnsyncedTail.Cut> cuts = storage.losePower(null);
            assertEquals(1, cuts.size(), cuts.toString());
            assertThat(cuts.get(0).description()).endsWith("is gone");
            assertThat(cuts.get(0).file()).doesNotExist();
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    @Test
    void seedsMayLeaveALogFileNeverSyncedEmptyWithItsNameOnTheDisk() throws Exception {
        java.util.Set<UnsyncedTail.Survival> seen = EnumSet.noneOf(UnsyncedTail.Survival.class);
        for (long seed = 0; seed < 40; seed++) {
            Path dir = Files.createTempDirectory("zk-harness-unsynced-");
            try {
                NodeStorage storage = new NodeStorage(dir.toFile(), dir.toFile(), new DiskState(1));
                append(storage, 1);
                storage.crash();
                storage.close();
                List<UnsyncedTail.Cut> cuts = storage.losePower(new Random(seed));
                assertEquals(1, cuts.size(), cuts.toString());
                UnsyncedTail.Cut cut = cuts.get(0);
                seen.add(cut.survival());
                if (cut.survival() == UnsyncedTail.Survival.EMPTY) {
                    assertThat(cut.file()).exists().isEmpty();
                    assertThat(cut.description()).endsWith("is empty: its name reached the disk, none of its bytes");
                }
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
        assertThat(seen).contains(UnsyncedTail.Survival.EMPTY, UnsyncedTail.Survival.NONE);
    }

    private static void append(NodeStorage storage, long zxid) throws Exception {
        TxnHeader header = new TxnHeader(1, 1, zxid, zxid, ZooDefs.OpCode.create);
        byte[] data = new byte[10_000]; // more than ZooKeeper's 8 KB buffer: written straight through at append
        java.util.Arrays.fill(data, (byte) 'x');
        CreateTxn create = new CreateTxn("/n" + zxid, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, false, 1);
        storage.append(new Request(1, 1, ZooDefs.OpCode.create, header, create, zxid));
    }
}
