package io.github.zkharness.internal;

import io.github.zkharness.Fault;
import org.apiguardian.api.API;

/**
 * What every fault handle of the harness shares: a description, and a heal that takes effect once (healing twice
 * is harmless). Subclasses say what healing undoes.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public abstract class HealOnceFault implements Fault {

    private final String description;
    private volatile boolean active = true;
    private volatile FaultRecorder.Band band; // null until recorded

    /** A fault in force, described for {@code faults()} and messages. */
    protected HealOnceFault(String description) {
        this.description = description;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final boolean isActive() {
        return active;
    }

    @Override
    public final void heal() {
        if (markHealed()) {
            try {
                undo();
            } finally {
                recordHealed();
            }
        }
    }

    /** Records this fault in {@code band}: its action ends when it is healed. */
    final void recordedAs(FaultRecorder.Band band) {
        this.band = band;
    }

    /**
     * Records that this fault's action ended now, for a caller that healed it with {@link #markHealed()}; its effect
     * ends once every running node serves again.
     */
    protected final void recordHealed() {
        FaultRecorder.Band b = band;
        if (b != null) {
            b.endHealed();
        }
    }

    /**
     * Marks the fault healed without undoing it, for a caller that undoes every fault at once.
     *
     * @return whether it was in force until now
     */
    protected final synchronized boolean markHealed() {
        boolean was = active;
        active = false;
        return was;
    }

    /** Undoes the fault; called once, by the first {@link #heal()}. */
    protected abstract void undo();

    @Override
    public String toString() {
        return description + (active ? "" : " (healed)");
    }
}
