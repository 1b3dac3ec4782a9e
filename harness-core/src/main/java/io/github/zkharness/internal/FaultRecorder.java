package io.github.zkharness.internal;

import io.github.zkharness.Fault;
import io.github.zkharness.history.History;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apiguardian.api.API;

/**
 * Where one ensemble's faults are recorded while someone listens (a history attached through
 * {@code ZkEnsemble.recordFaults}): every fault made through the public API opens a band when it starts, ends it when
 * its action is over (a heal returned, a restart returned) and records the end of its effect when the harness sees
 * it (the nodes serving again, a session's connection gone). Effects are watched on one daemon thread of the
 * ensemble, polled every few milliseconds, for at most the ensemble's await timeout; an effect not seen to end in
 * that time gets no end. With no listener attached, recording costs one list read per fault.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class FaultRecorder {

    /** What a listener is told: the three moments of every fault, by its description. */
    public interface Listener {
        /** A fault starts now. */
        void started(String description);

        /** A fault's action ended now (healed, the call returned). */
        void ended(String description);

        /** A fault's effect ended now (what it broke works again, or what it did has reached everyone). */
        void effectEnded(String description);

        /** Node {@code nodeId} runs ZooKeeper {@code version} from now on (it started, was added or upgraded). */
        default void version(int nodeId, String version) {}
    }

    private static final long POLL_MILLIS = 5;

    private final String name;
    private final Duration effectTimeout;
    private final BooleanSupplier settled;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** The histories recording now, each once, with what detaches it. */
    private final Map<History, Runnable> histories = new IdentityHashMap<>();
    /** The open band of every node that was stopped or killed, by id: ended when it starts again. */
    private final Map<Integer, Band> down = new ConcurrentHashMap<>();

    private ScheduledExecutorService watcher; // guarded by this
    private boolean closed; // guarded by this

    /**
     * A recorder for the ensemble {@code name}: {@code settled} says whether every running node serves (the end of
     * a healed fault's effect), {@code effectTimeout} how long an effect is watched.
     */
    public FaultRecorder(String name, Duration effectTimeout, BooleanSupplier settled) {
        this.name = name;
        this.effectTimeout = effectTimeout;
        this.settled = settled;
    }

    /** Tells {@code listener} of every fault from now on; the returned action stops telling it. */
    public Runnable attach(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Records every fault from now on in {@code history} under {@code source}, once per history: while it is
     * attached, attaching it again records nothing twice (and keeps the first source). The returned action stops
     * recording; running it twice is harmless. A history attached now first gets {@code versions}: each node's
     * ZooKeeper version by id, then every change of a node's version while it records.
     */
    public Runnable record(History history, String source, Map<Integer, String> versions) {
        synchronized (histories) {
            if (histories.containsKey(history)) {
                return () -> {};
            }
            versions.forEach(history::version);
            Runnable detach = attach(new Listener() {
                @Override
                public void started(String description) {
                    history.faultStarted(source, description);
                }

                @Override
                public void ended(String description) {
                    history.faultEnded(source, description);
                }

                @Override
                public void effectEnded(String description) {
                    history.faultEffectEnded(source, description);
                }

                @Override
                public void version(int nodeId, String version) {
                    history.version(nodeId, version);
                }
            });
            histories.put(history, detach);
        }
        return () -> {
            Runnable detach;
            synchronized (histories) {
                detach = histories.remove(history);
            }
            if (detach != null) {
                detach.run();
            }
        };
    }

    /** Opens a band for a fault starting now; a band of nothing when no listener is attached. */
    public Band begin(String description) {
        List<Listener> now = List.copyOf(listeners);
        Band band = new Band(description, now);
        for (Listener l : now) {
            l.started(description);
        }
        return band;
    }

    /** Tells every listener that node {@code nodeId} runs ZooKeeper {@code version} from now on. */
    public void version(int nodeId, String version) {
        for (Listener l : listeners) {
            l.version(nodeId, version);
        }
    }

    /** Records {@code fault} (one of the harness's) as starting now and ending when it is healed; returns it. */
    public Fault track(Fault fault) {
        if (fault instanceof HealOnceFault own) {
            own.recordedAs(begin(fault.description()));
        }
        return fault;
    }

    /** Records that node {@code id} is taken down now ({@code what}: "kill node 2"); it ends when it starts again. */
    public void nodeDown(int id, String what) {
        Band before = down.put(id, begin(what));
        if (before != null) { // taken down twice without a start between: the first band ends here
            before.endNow(null);
        }
    }

    /**
     * Records that node {@code id} runs again now: the band that took it down, if any, ends; its effect when
     * {@code serving} holds. Returns whether there was such a band.
     */
    public boolean nodeUp(int id, BooleanSupplier serving) {
        Band band = down.remove(id);
        if (band == null) {
            return false;
        }
        band.endNow(serving);
        return true;
    }

    /** Whether node {@code id} was taken down while recording and has not started since. */
    public boolean isDown(int id) {
        return down.containsKey(id);
    }

    /** Whether every running node serves: the end of a healed fault's effect. */
    public BooleanSupplier settled() {
        return settled;
    }

    /** Stops watching effects: those not seen to end get no end. */
    public synchronized void close() {
        closed = true;
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    private synchronized void watch(Band band, BooleanSupplier done) {
        if (closed) {
            return;
        }
        if (watcher == null) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name + "-fault-effects");
                t.setDaemon(true);
                return t;
            });
        }
        long deadline = System.nanoTime() + effectTimeout.toNanos();
        ScheduledExecutorService w = watcher;
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            boolean ended;
            try {
                ended = done.getAsBoolean();
            } catch (RuntimeException e) {
                return; // the ensemble closed under the watch: the effect is not seen to end
            }
            if (ended) {
                band.effectEnded();
            } else if (System.nanoTime() < deadline && !w.isShutdown()) {
                w.schedule(poll[0], POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        };
        w.execute(poll[0]);
    }

    /** One fault's band, told to the listeners attached when it started. */
    public final class Band {
        private final String description;
        private final List<Listener> listeners;
        private boolean ended; // guarded by this

        private Band(String description, List<Listener> listeners) {
            this.description = description;
            this.listeners = listeners;
        }

        /**
         * Ends the band's action now; its effect ends when {@code effectDone} holds (watched in the background),
         * or now if it is null.
         */
        public void endNow(BooleanSupplier effectDone) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            if (listeners.isEmpty()) {
                return;
            }
            for (Listener l : listeners) {
                l.ended(description);
            }
            if (effectDone == null) {
                effectEnded();
            } else {
                watch(this, effectDone);
            }
        }

        /** Ends a healed fault's band now; its effect ends once every running node serves again. */
        public void endHealed() {
            endNow(settled);
        }

        private void effectEnded() {
            for (Listener l : listeners) {
                l.effectEnded(description);
            }
        }
    }
}
