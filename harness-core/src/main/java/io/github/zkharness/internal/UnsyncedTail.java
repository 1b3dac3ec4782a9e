package io.github.zkharness.internal;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apiguardian.api.API;

/**
 * How far each transaction log file of one run of one node was written to the OS and how far it was synced, and
 * what a power loss does to the difference. A sync point is a flush ZooKeeper asked for ({@code commit}, which
 * forces every open log file when {@code zookeeper.forceSync} is on); the harness skips the real fsync and keeps
 * the count here. Files it never saw written count as synced. Not thread-safe: {@code NodeStorage} holds the lock.
 *
 * <p>Snapshots: ZooKeeper forces a snapshot only when it asks to ({@code FileSnap.serialize(..., fsync)}: a
 * temporary file, forced, then renamed; 3.8 and 3.9 ask only after a SNAP sync from the leader). Every other
 * snapshot (the periodic one after a log roll, the one taken when a server loads its data, the admin command's) is
 * written with a plain stream and never forced. The harness counts a sync point as a barrier for every file: what
 * any file got before a log sync is on the disk after it (a journaling file system in ordered mode, ext3's and
 * ext4's {@code data=ordered} without delayed allocation). So a snapshot not forced is at risk from its first byte
 * until the next log sync: a power loss in between may leave it whole, gone, empty (its name on the disk, none of its
 * bytes) or torn (a prefix), as the seed chooses. A forced snapshot counts as synced; its temporary file is never
 * tracked. A snapshot that rewrites a file already on the disk is not at risk (see {@link #snapshotStarted}).
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public final class UnsyncedTail {

    /** A log file's header: magic, version, database id. */
    static final int HEADER = 16;

    /** What survives of one file's unsynced tail. */
    public enum Survival {
        /** Nothing written since the last sync. */
        NONE,
        /** All of it. */
        ALL,
        /** A prefix that ends where a transaction ends. */
        WHOLE_TRANSACTIONS,
        /** A prefix that ends inside a transaction: a torn write. */
        TORN,
        /**
         * For a file never synced: its name reached the disk, none of its bytes did, so it is there and empty (a crash
         * right after a log roll leaves the newest log so).
         */
        EMPTY
    }

    /** What a power loss did to one file. */
    public record Cut(File file, Survival survival, long synced, long written, long kept, String description) {}

    /** What survives of a snapshot written since the last sync. */
    public enum SnapshotSurvival {
        /** All that was written of it. */
        ALL,
        /** Nothing: its name never reached the disk. */
        GONE,
        /** Its name reached the disk, none of its bytes. */
        EMPTY,
        /** A prefix: a torn write. */
        TORN
    }

    /** Per file: {written, synced}; synced -1 while never synced. */
    private final Map<File, long[]> files = new LinkedHashMap<>();

    /**
     * Per snapshot not forced: {written, synced}; written -1 while ZooKeeper still writes it (its length then is what
     * reached the OS), synced -1 while never synced. Removed at the first sync after it was written whole.
     */
    private final Map<File, long[]> snapshots = new LinkedHashMap<>();

    /** {@code file} reached the OS up to {@code position}. */
    public void written(File file, long position) {
        long[] state = files.computeIfAbsent(file, f -> new long[] {0, -1});
        state[0] = Math.max(state[0], position);
    }

    /** A sync point: everything written so far is on the disk, snapshots included. */
    public void synced() {
        for (long[] state : files.values()) {
            state[1] = state[0];
        }
        snapshots.values().removeIf(state -> state[0] >= 0); // written whole before the sync
        for (Map.Entry<File, long[]> e : snapshots.entrySet()) {
            e.getValue()[1] = e.getKey().length(); // still being written: its prefix so far is on the disk
        }
    }

    /**
     * ZooKeeper starts writing snapshot {@code file} without forcing it. A file of that name already on the disk (ZooKeeper
     * rewriting the snapshot of a zxid it has, with the same content) is not put at risk: a file replaced through
     * truncation is written out at its close (ext4's {@code auto_da_alloc}), and its content was the same. One still
     * at risk from this run stays at risk.
     */
    public void snapshotStarted(File file) {
        if (snapshots.containsKey(file) || !file.exists()) {
            snapshots.put(file, new long[] {-1, -1});
        }
    }

    /** ZooKeeper wrote snapshot {@code file} whole, without forcing it. */
    public void snapshotWritten(File file) {
        long[] state = snapshots.get(file);
        if (state != null && state[0] < 0) {
            state[0] = file.length();
        }
    }

    /** ZooKeeper forced snapshot {@code file} (it wrote a temporary file, forced it, then renamed it). */
    public void snapshotForced(File file) {
        snapshots.remove(file);
    }

    /** The process crashed: a snapshot still being written got no more bytes than it has now. */
    public void crashed() {
        for (Map.Entry<File, long[]> e : snapshots.entrySet()) {
            if (e.getValue()[0] < 0) {
                e.getValue()[0] = e.getKey().length();
            }
        }
    }

    /** ZooKeeper rewrote the files (a truncation): they count as synced. */
    public void forget() {
        files.clear();
    }

    /**
     * Takes back from each log file what it got since its last sync, except the part {@code random} lets survive
     * (null: nothing survives), then from each snapshot written since the last sync, except what
     * {@code snapshotRandom} lets survive (null: nothing). A file never synced is deleted when nothing of it survives.
     * The snapshots draw from their own random only, so a seed's choices for the log files do not depend on them.
     */
    public List<Cut> losePower(Random random, Random snapshotRandom) throws IOException {
        List<Cut> cuts = losePower(random);
        for (Map.Entry<File, long[]> e : snapshots.entrySet()) {
            Cut cut = loseSnapshot(e.getKey(), e.getValue()[0], e.getValue()[1], snapshotRandom);
            if (cut != null) {
                cuts.add(cut);
            }
        }
        snapshots.clear();
        return cuts;
    }

    private static Cut loseSnapshot(File file, long written, long synced, Random random) throws IOException {
        long length = file.length();
        if (!file.exists()) {
            return null; // ZooKeeper deleted it (a failed write, a purge)
        }
        if (written < 0) {
            written = length; // never crashed: all it has reached the OS
        }
        if (written <= Math.max(synced, 0)) {
            return null;
        }
        long base = Math.max(synced, 0);
        SnapshotSurvival survival;
        if (random == null) {
            survival = synced > 0 ? SnapshotSurvival.TORN : SnapshotSurvival.GONE;
        } else if (synced > 0) {
            survival = random.nextBoolean() ? SnapshotSurvival.ALL : SnapshotSurvival.TORN; // its name is on the disk
        } else {
            survival = SnapshotSurvival.values()[random.nextInt(SnapshotSurvival.values().length)];
        }
        long kept = switch (survival) {
            case ALL -> written;
            case GONE, EMPTY -> 0;
            case TORN ->
                random == null || written - base < 2
                        ? base
                        : base + 1 + (long) (random.nextDouble() * (written - base - 1));
        };
        String name = file.getName();
        String what = "snapshot " + name + " (not forced, "
                + (synced < 0 ? "never synced" : "synced up to byte " + synced) + ", written up to " + written + ")";
        if (survival == SnapshotSurvival.GONE) {
            Files.delete(file.toPath());
            return new Cut(file, Survival.NONE, synced, written, 0, "cut the power: " + what + " is gone");
        }
        if (kept != length) {
            try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
                raf.setLength(kept); // a new file's length was never on the disk either
            }
        }
        return switch (survival) {
            case ALL ->
                new Cut(
                        file,
                        Survival.ALL,
                        synced,
                        written,
                        kept,
                        "cut the power: " + what + " kept all it was written");
            case EMPTY ->
                new Cut(
                        file,
                        Survival.EMPTY,
                        synced,
                        written,
                        0,
                        "cut the power: " + what + " is empty: its name reached the disk, none of its bytes");
            default ->
                new Cut(
                        file,
                        Survival.TORN,
                        synced,
                        written,
                        kept,
                        "cut the power: " + what + " kept " + kept + " bytes (a torn write)");
        };
    }

    /**
     * Takes back from each log file what it got since its last sync, except the part {@code random} lets survive
     * (null: nothing survives). A file never synced is deleted when nothing of it survives. Snapshots are left alone.
     *
     * <p>What survives keeps the order of the writes: ZooKeeper writes one log file after the other, and a disk that
     * got a byte of a newer file got what was written before it (its metadata journal commits in order, and a file's
     * data before the metadata that names it). So once a newer file kept any of its unsynced bytes, every older one
     * keeps all it was written; once a newer file's name reached the disk, no older one is gone (at worst it is
     * empty). Without this, a seed could keep a newer log while an older one vanished, a gap no disk leaves, which
     * ZooKeeper 3.9.5 replays past without noticing (its follower then served without the missing writes).
     */
    public List<Cut> losePower(Random random) throws IOException {
        List<Object[]> drawn = new ArrayList<>(); // file, survival, synced, written, kept
        for (Map.Entry<File, long[]> e : files.entrySet()) {
            File file = e.getKey();
            long written = e.getValue()[0];
            long synced = e.getValue()[1];
            if (written <= Math.max(synced, 0) || !file.exists()) {
                continue;
            }
            // EMPTY only for a file never synced: a synced file's header is on the disk
            Survival survival = random == null ? Survival.NONE : Survival.values()[random.nextInt(synced < 0 ? 5 : 4)];
            long base = Math.max(synced, 0);
            List<Long> ends = transactionEnds(file, base, written);
            long kept = switch (survival) {
                case NONE -> base;
                case ALL -> written;
                case WHOLE_TRANSACTIONS -> ends.isEmpty() ? base : ends.get(random.nextInt(ends.size()));
                case TORN -> torn(random, base, written, ends);
                case EMPTY -> 0;
            };
            if (kept == base && survival != Survival.EMPTY) {
                survival = Survival.NONE; // no transaction ended in the tail
            }
            drawn.add(new Object[] {file, survival, synced, written, kept});
        }
        keepTheOrderOfWrites(drawn);
        List<Cut> cuts = new ArrayList<>();
        for (Object[] d : drawn) {
            File file = (File) d[0];
            Survival survival = (Survival) d[1];
            long synced = (long) d[2];
            long written = (long) d[3];
            long kept = (long) d[4];
            cuts.add(new Cut(file, survival, synced, written, kept, cut(file, synced, written, kept, survival)));
        }
        files.clear();
        return cuts;
    }

    /**
     * Newest first: an older file keeps all it was written once a newer one kept unsynced bytes, and its name once a
     * newer one's name stayed.
     */
    private static void keepTheOrderOfWrites(List<Object[]> drawn) {
        boolean newerKeptBytes = false;
        boolean newerNameStayed = false;
        for (int i = drawn.size() - 1; i >= 0; i--) {
            Object[] d = drawn.get(i);
            long synced = (long) d[2];
            long written = (long) d[3];
            if (newerKeptBytes) {
                d[1] = Survival.ALL;
                d[4] = written;
            } else if (newerNameStayed && synced < 0 && d[1] == Survival.NONE) {
                d[1] = Survival.EMPTY;
                d[4] = 0L;
            }
            long kept = (long) d[4];
            newerKeptBytes |= kept > Math.max(synced, 0);
            newerNameStayed |= synced >= 0 || d[1] != Survival.NONE;
        }
    }

    /**
     * An offset strictly inside one of the transactions written after {@code base}, never inside the file header: ZooKeeper
     * writes the 16-byte header by itself when it creates the file, at the start of its first sector, which a disk
     * writes whole or not at all (a never-synced file that kept none of it is {@link Survival#EMPTY}). A header torn
     * inside would be a failure no disk produces, and every ZooKeeper release refuses such a file.
     */
    static long torn(Random random, long base, long written, List<Long> ends) {
        long floor = Math.max(base, HEADER);
        if (written - floor < 2) {
            return base; // nothing to tear: no transaction after the header
        }
        long at;
        do {
            at = floor + 1 + (long) (random.nextDouble() * (written - floor - 1));
        } while (ends.contains(at) && ends.size() < written - floor - 1);
        return Math.min(at, written - 1);
    }

    private static String cut(File file, long synced, long written, long kept, Survival survival) throws IOException {
        String name = file.getName();
        String what = (synced < 0 ? "never synced" : "synced up to byte " + synced) + ", written up to " + written;
        if (kept == written) {
            return "cut the power: " + name + " (" + what + ") kept all it was written";
        }
        if (synced < 0 && kept == 0 && survival == Survival.NONE) {
            Files.delete(file.toPath());
            return "cut the power: " + name + " (" + what + ") is gone";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            if (synced < 0) {
                raf.setLength(kept); // the file's length was never on the disk either
            } else {
                // the preallocated length was synced; the lost pages read as the zeros they were
                raf.seek(kept);
                raf.write(new byte[(int) (written - kept)]);
            }
        }
        if (survival == Survival.EMPTY) {
            return "cut the power: " + name + " (" + what + ") is empty: its name reached the disk, none of its bytes";
        }
        return "cut the power: " + name + " (" + what + ") kept " + kept + " bytes"
                + switch (survival) {
                    case NONE -> "";
                    case WHOLE_TRANSACTIONS -> " (up to the end of a transaction)";
                    case TORN -> " (a torn write: inside a transaction)";
                    case ALL, EMPTY -> "";
                };
    }

    /**
     * Where the transactions written after {@code base} end, up to {@code written}, excluding {@code written}
     * itself. A record is a checksum (8 bytes), a length (4), that many bytes and an end-of-record byte.
     */
    static List<Long> transactionEnds(File file, long base, long written) throws IOException {
        List<Long> ends = new ArrayList<>();
        try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
            long at = Math.max(base, HEADER);
            if (base < HEADER && HEADER < written) {
                ends.add((long) HEADER);
            }
            while (at + 12 <= written) {
                raf.seek(at + 8);
                int length = raf.readInt();
                long next = at + 12 + length + 1;
                if (length <= 0 || next >= written) {
                    break;
                }
                ends.add(next);
                at = next;
            }
        }
        return ends;
    }
}
