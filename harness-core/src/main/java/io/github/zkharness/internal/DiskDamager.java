package io.github.zkharness.internal;

import io.github.zkharness.DiskDamage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Damages the files of a stopped node at rest, as a crash or a bad disk would leave them. It reads ZooKeeper's
 * on-disk formats only as far as it must (documented in ZooKeeper's {@code FileTxnLog}): a transaction log is a
 * 16-byte header (magic {@code ZKLG}, version, database id), then records of a 64-bit checksum, a 32-bit length,
 * that many bytes (a {@code TxnHeader} whose zxid sits at byte 12, then the transaction) and the byte {@code 'B'};
 * preallocated zeros follow the last record. Files live in {@code version-2} below the node's directories, named
 * {@code log.<hex zxid>} and {@code snapshot.<hex zxid>[.extension]}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class DiskDamager {

    private static final String VERSION_DIR = "version-2";
    private static final int LOG_HEADER = 16;
    private static final int RECORD_PREFIX = 12;
    private static final int ZXID_OFFSET = 12;
    private static final int SNAPSHOT_BYTES_FLIPPED = 16;

    private DiskDamager() {}

    /** Cuts the newest log of node {@code id} inside its last transaction. */
    public static DiskDamage truncateLogTail(int id, Path dataLogDir) throws IOException {
        Path log = newest(dataLogDir, "log", id);
        LastRecord last = lastRecord(log, id);
        long keep = last.start + RECORD_PREFIX + last.length / 2;
        long before = Files.size(log);
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(keep);
        }
        return new DiskDamage(
                id,
                log,
                "cut " + log.getFileName() + " of node " + id + " inside its last transaction"
                        + " (zxid 0x" + Long.toHexString(last.zxid) + "): " + keep + " of " + before
                        + " bytes kept, as a crash"
                        + " in the middle of an append leaves it");
    }

    /** Flips bytes inside the last transaction of the newest log of node {@code id}. */
    public static DiskDamage corruptLog(int id, Path dataLogDir) throws IOException {
        Path log = newest(dataLogDir, "log", id);
        LastRecord last = lastRecord(log, id);
        long at = last.start + RECORD_PREFIX + last.length / 2;
        flip(log, at, 1);
        return new DiskDamage(
                id,
                log,
                "flipped byte " + at + " of " + log.getFileName() + " of node " + id
                        + ", inside its last transaction (zxid 0x" + Long.toHexString(last.zxid)
                        + "): its checksum no longer"
                        + " matches");
    }

    /** Deletes the newest snapshot of node {@code id}. */
    public static DiskDamage deleteSnapshot(int id, Path dataDir) throws IOException {
        Path snapshot = newest(dataDir, "snapshot", id);
        Files.delete(snapshot);
        return new DiskDamage(
                id, snapshot, "deleted " + snapshot.getFileName() + ", the newest snapshot of node " + id);
    }

    /** Flips bytes in the middle of the newest snapshot of node {@code id}. */
    public static DiskDamage corruptSnapshot(int id, Path dataDir) throws IOException {
        Path snapshot = newest(dataDir, "snapshot", id);
        long size = Files.size(snapshot);
        int count = (int) Math.min(SNAPSHOT_BYTES_FLIPPED, Math.max(1, size / 4));
        long at = size / 2 - count / 2;
        flip(snapshot, at, count);
        return new DiskDamage(
                id,
                snapshot,
                "flipped " + count + " bytes at " + at + " of " + snapshot.getFileName() + " (" + size
                        + " bytes), the newest snapshot of node " + id + ": its checksum no longer matches");
    }

    private static void flip(Path file, long at, int count) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate(count);
            channel.read(bytes, at);
            bytes.flip();
            ByteBuffer flipped = ByteBuffer.allocate(bytes.remaining());
            while (bytes.hasRemaining()) {
                flipped.put((byte) ~bytes.get());
            }
            flipped.flip();
            channel.write(flipped, at);
        }
    }

    /** The file with the highest zxid in its name, e.g. the newest {@code log.*}. */
    static Path newest(Path dir, String prefix, int id) throws IOException {
        Path versionDir = dir.resolve(VERSION_DIR);
        if (!Files.isDirectory(versionDir)) {
            throw new IllegalStateException(
                    "node " + id + " has no " + prefix + " file: " + versionDir + " does not exist");
        }
        try (Stream<Path> files = Files.list(versionDir)) {
            Optional<Path> newest =
                    files.filter(f -> zxidOf(f, prefix) >= 0).max(Comparator.comparingLong(f -> zxidOf(f, prefix)));
            return newest.orElseThrow(
                    () -> new IllegalStateException("node " + id + " has no " + prefix + " file in " + versionDir));
        }
    }

    private static long zxidOf(Path file, String prefix) {
        String[] parts = file.getFileName().toString().split("\\.");
        if (parts.length < 2 || !parts[0].equals(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(parts[1], 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private record LastRecord(long start, int length, long zxid) {}

    private static LastRecord lastRecord(Path log, int id) throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = channel.size();
            LastRecord last = null;
            long at = LOG_HEADER;
            ByteBuffer prefix = ByteBuffer.allocate(RECORD_PREFIX);
            ByteBuffer zxid = ByteBuffer.allocate(Long.BYTES);
            while (at + RECORD_PREFIX <= size) {
                prefix.clear();
                channel.read(prefix, at);
                int length = prefix.getInt(Long.BYTES);
                if (length <= 0 || at + RECORD_PREFIX + length + 1 > size) {
                    break;
                }
                zxid.clear();
                channel.read(zxid, at + RECORD_PREFIX + ZXID_OFFSET);
                last = new LastRecord(at, length, zxid.getLong(0));
                at += RECORD_PREFIX + length + 1;
            }
            if (last == null) {
                throw new IllegalStateException(log.getFileName() + " of node " + id + " holds no transaction");
            }
            return last;
        }
    }
}
