package io.github.zkharness;

import java.io.Closeable;
import org.apiguardian.api.API;

/**
 * One fault injected into an ensemble's network ({@link ZkNetwork}) or into a node's disk ({@link ZkDisk}), as a
 * handle: it lasts until {@link #heal()} (or {@link #close()}, so that try-with-resources scopes it), until
 * {@link ZkNetwork#healAll()} for network faults, or until {@code ZkEnsemble.reset()}. Healing twice is harmless.
 * Faults combine: two faults on the same link both apply, and healing one leaves the other. The harness makes every
 * {@code Fault}; implementing it yourself gives the harness nothing to heal.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Fault extends Closeable {

    /** What this fault does, e.g. {@code isolate node 2 (leader)} or {@code cut 1->3}. */
    String description();

    /** Whether it still applies. */
    boolean isActive();

    /** Removes this fault; connections it refused may be dialed again, traffic it held flows again. */
    void heal();

    /** Same as {@link #heal()}. */
    @Override
    default void close() {
        heal();
    }
}
