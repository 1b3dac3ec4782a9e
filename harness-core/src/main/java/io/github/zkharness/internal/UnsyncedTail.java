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
 * the count here. Files it never saw written count as synced. Not thread-safe: {@link NodeStorage} holds the lock.
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

    /** Per file: {written, synced}; synced -1 while never synced. */
    private final Map<File, long[]> files = new LinkedHashMap<>();

    /** {@code file} reached the OS up to {@code position}. */
    public void written(File file, long position) {
        long[] state = files.computeIfAbsent(file, f -> new long[] {0, -1});
        state[0] = Math.max(state[0], position);
    }

    /** A sync point: everything written so far is on the disk. */
    public void synced() {
        for (long[] state : files.values()) {
            state[1] = state[0];
        }
    }

    /** ZooKeeper rewrote the files (a truncation): they count as synced. */
    public void forget() {
        files.clear();
    }

    /**
     * Takes back from each file what it got since its last sync, except the part {@code random} lets survive
     * (null: nothing survives). A file never synced is deleted when nothing of it survives.
     */
    public List<Cut> losePower(Random random) throws IOException {
        List<Cut> cuts = new ArrayList<>();
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
            cuts.add(new Cut(file, survival, synced, written, kept, cut(file, synced, written, kept, survival)));
        }
        files.clear();
        return cuts;
    }

    /** An offset strictly inside one of the transactions (or the header) written after {@code base}. */
    private static long torn(Random random, long base, long written, List<Long> ends) {
        if (written - base < 2) {
            return base;
        }
        long at;
        do {
            at = base + 1 + (long) (random.nextDouble() * (written - base - 1));
        } while (ends.contains(at) && ends.size() < written - base - 1);
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
