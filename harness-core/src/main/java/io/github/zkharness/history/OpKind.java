package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What an operation does. {@link #READ}, {@link #SYNC_READ}, {@link #READ_ONLY_READ}, {@link #WRITE} and {@link #CAS}
 * are the register's operations that {@link ZkRegisterClient} records and the register's checkers check;
 * {@link #of(String)} names any other kind for a user's own model.
 *
 * @param name the kind's name, non-blank
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record OpKind(String name) {

    /** A plain read (ZooKeeper's {@code getData}): no effect; its result is the value it returned. */
    public static final OpKind READ = new OpKind("read");
    /** A read preceded by {@code sync} on the same path: no effect; its result is the value it returned. */
    public static final OpKind SYNC_READ = new OpKind("sync-read");
    /**
     * A read served by a server in ZooKeeper's read-only mode (the client was connected read-only,
     * {@code CONNECTEDREADONLY}, when it was invoked): no effect; its result is the value it returned, which may be
     * stale by any amount, since a read-only server answers from the state it had when it lost its quorum.
     */
    public static final OpKind READ_ONLY_READ = new OpKind("read-only-read");
    /** An unconditional write of the operation's value. */
    public static final OpKind WRITE = new OpKind("write");
    /** Compare-and-set: writes the operation's value if the current value equals its expected value. */
    public static final OpKind CAS = new OpKind("cas");

    /**
     * A kind.
     *
     * @param name as the record component {@code name} above
     *
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public OpKind {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "an operation kind needs a non-blank name, got " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    /**
     * The kind named {@code name}: one of the register's kinds if the name is theirs, otherwise a user-defined kind.
     *
     * @param name the kind's name, non-blank
     * @return the kind
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public static OpKind of(String name) {
        for (OpKind k : new OpKind[] {READ, SYNC_READ, READ_ONLY_READ, WRITE, CAS}) {
            if (Objects.equals(k.name, name)) {
                return k;
            }
        }
        return new OpKind(name);
    }

    /**
     * Whether this kind only observes state ({@link #READ}, {@link #SYNC_READ} or {@link #READ_ONLY_READ}).
     *
     * @return true for the register's read kinds
     */
    public boolean isRead() {
        return equals(READ) || equals(SYNC_READ) || equals(READ_ONLY_READ);
    }

    /**
     * Equal when the names are equal, as a record's equality is; written out so that a comparison with one of the
     * constants above is an identity check first.
     *
     * @param o another object
     * @return true if it is an {@code OpKind} of the same name
     */
    @Override
    public final boolean equals(Object o) {
        return this == o || (o instanceof OpKind k && name.equals(k.name));
    }

    /**
     * The name's hash, so that equal kinds hash alike.
     *
     * @return the hash
     */
    @Override
    public final int hashCode() {
        return name.hashCode();
    }

    /** The name. */
    @Override
    public String toString() {
        return name;
    }
}
