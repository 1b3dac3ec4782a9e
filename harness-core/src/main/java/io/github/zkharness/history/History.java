package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe record of what clients did and what happened around them, Jepsen's way: every operation's invocation
 * and completion ({@link Outcome#OK}, {@link Outcome#FAIL}, {@link Outcome#UNKNOWN}) with its process, kind, key and
 * value, and {@link Event}s, all on one monotonic clock ({@link System#nanoTime()} since the history was created).
 *
 * <pre>{@code
 * History history = new History();
 * Op op = history.invoke(1, OpKind.WRITE, "x", "5");
 * try {
 *     zk.setData("/x", "5".getBytes(UTF_8), -1);
 *     op.ok();
 * } catch (KeeperException.ConnectionLossException e) {
 *     op.unknown("ConnectionLoss");
 * }
 * }</pre>
 *
 * <p>{@link ZkRegisterClient} and {@link #record} do that classification for you. Recording is lock-free (one
 * {@code nanoTime}, one counter increment and one append to a lock-free queue per invocation, one {@code nanoTime} and
 * a few field writes per completion), so it barely changes a workload's timing.
 *
 * <h2>Events: the vocabulary the checkers and the timeline understand</h2>
 * <table>
 * <caption>event kinds</caption>
 * <tr><th>source</th><th>kind</th><th>description</th><th>meaning</th></tr>
 * <tr><td>anything ("chaos")</td><td>{@value #FAULT_START}</td><td>what the fault is ("partition 1,2|3")</td>
 *     <td>a fault starts; drawn as a band until the matching end</td></tr>
 * <tr><td>the same source</td><td>{@value #FAULT_END}</td><td>the same description</td>
 *     <td>ends the earliest still-open fault-start with the same source and description: its action is over (a
 *     partition healed, a kill's node restarted, an expiry call returned)</td></tr>
 * <tr><td>the same source</td><td>{@value #FAULT_EFFECT_END}</td><td>the same description</td>
 *     <td>the effect of the earliest ended fault with the same source and description whose effect had not ended:
 *     what it broke works again (every running node serves, a restarted node serves, the expired session's
 *     connection is gone, a dropped session is connected again); without one the effect ends with the action</td>
 *     </tr>
 * <tr><td>{@code node-N}</td><td>{@value #ROLE}</td><td>the role ("LEADER", "FOLLOWER", "LOOKING", "STOPPED", ...)</td>
 *     <td>node N has this role from now on</td></tr>
 * <tr><td>{@code node-N}</td><td>{@value #VERSION}</td><td>the ZooKeeper version ("3.9.5")</td>
 *     <td>node N runs this version from now on; {@code ZkEnsemble.recordFaults} records every node's when it starts,
 *     and again for a node added or upgraded while it records</td></tr>
 * <tr><td>{@code process-P}</td><td>{@value #LOCK_ACQUIRED}</td><td>the lock's name</td>
 *     <td>process P believes it holds the lock from now on</td></tr>
 * <tr><td>{@code process-P}</td><td>{@value #LOCK_RELEASED}</td><td>the lock's name</td>
 *     <td>process P released it</td></tr>
 * <tr><td>{@code process-P}</td><td>{@value #LOCK_LOST}</td><td>the lock's name</td>
 *     <td>process P learned that it lost it (connection suspended/lost, session expired)</td></tr>
 * </table>
 * Any other event is kept and drawn on the timeline as a mark.
 *
 * <p>A snapshot ({@link #entries()}, {@link #operations()}, {@link #events()}) is immutable and ordered by start time;
 * operations not completed when it is taken are {@link Outcome#UNKNOWN} with completion time {@code -1}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class History {

    /** Event kind: a fault starts (see the class comment). */
    public static final String FAULT_START = "fault-start";
    /** Event kind: a fault ends; matched to the earliest open {@link #FAULT_START} with the same source and description. */
    public static final String FAULT_END = "fault-end";
    /**
     * Event kind: a fault's effect ends (what it broke works again, or what it did has reached everyone); matched to
     * the earliest {@link #FAULT_START} with the same source and description whose {@link #FAULT_END} came and whose
     * effect has not ended yet. A fault without one has its effect end with its action.
     */
    public static final String FAULT_EFFECT_END = "fault-effect-end";
    /** Event kind: a node's role from now on; the source is {@code node-N}, the description the role. */
    public static final String ROLE = "role";
    /** Event kind: the ZooKeeper version a node runs from now on; the source is {@code node-N}, the description the version. */
    public static final String VERSION = "version";
    /** Event kind: a process believes it holds a lock (description: the lock's name). */
    public static final String LOCK_ACQUIRED = "lock-acquired";
    /** Event kind: a process released a lock. */
    public static final String LOCK_RELEASED = "lock-released";
    /** Event kind: a process learned it lost a lock. */
    public static final String LOCK_LOST = "lock-lost";

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::startNanos).thenComparingLong(Entry::id);

    private final long originNanos;
    private final Instant startedAt;
    private final AtomicLong ids = new AtomicLong();
    /** Op (running or completed) or Event. */
    private final ConcurrentLinkedQueue<Object> log = new ConcurrentLinkedQueue<>();

    /** An empty history whose clock starts now. */
    public History() {
        this.originNanos = System.nanoTime();
        this.startedAt = Instant.now();
    }

    /**
     * A history holding {@code entries} as they are (their ids and times), for hand-built, stored or generated
     * histories. New entries can still be recorded; their times count from this call and their ids follow the
     * largest given id.
     *
     * @param entries operations and events
     * @return the history
     * @throws IllegalArgumentException if entries is null, holds null or two entries with the same id
     */
    public static History of(Collection<? extends Entry> entries) {
        if (entries == null) {
            throw new IllegalArgumentException("entries must not be null");
        }
        History h = new History();
        long maxId = -1;
        Set<Long> seen = new HashSet<>();
        for (Entry e : entries) {
            if (e == null) {
                throw new IllegalArgumentException("entries must not contain null");
            }
            if (!seen.add(e.id())) {
                throw new IllegalArgumentException("two entries have the id " + e.id());
            }
            maxId = Math.max(maxId, e.id());
            h.log.add(e instanceof Operation o ? new Fixed(o) : e);
        }
        h.ids.set(maxId + 1);
        return h;
    }

    /** A stored operation, already complete. */
    private record Fixed(Operation operation) {}

    /**
     * Nanoseconds since this history's clock started.
     *
     * @return the current time on this history's clock
     */
    public long nowNanos() {
        return System.nanoTime() - originNanos;
    }

    /**
     * The wall-clock time at which this history's clock started (for labels; checks use only the monotonic clock).
     *
     * @return the instant
     */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * Records the invocation of an operation now; complete the returned handle when it ends.
     *
     * @param process the client (process) id; one process runs one operation at a time
     * @param kind what it does
     * @param key the key (register, znode) it works on
     * @param value the value it writes, or null (a read)
     * @return the running operation
     * @throws IllegalArgumentException if kind or key is null, or kind is {@link OpKind#CAS} (use {@link #invokeCas})
     */
    public Op invoke(int process, OpKind kind, String key, @Nullable String value) {
        if (kind == null || key == null) {
            throw new IllegalArgumentException("an operation needs a kind and a key, got kind=" + kind + " key=" + key);
        }
        if (kind.equals(OpKind.CAS)) {
            throw new IllegalArgumentException(
                    "a CAS needs its expected value: use invokeCas(process, key, expected," + " value)");
        }
        return append(process, kind, key, value, null);
    }

    /**
     * Records the invocation of a compare-and-set now: set {@code key} to {@code value} if it holds {@code expected}.
     *
     * @param process the client (process) id
     * @param key the key
     * @param expected the value it must hold (null = absent)
     * @param value the value to write
     * @return the running operation
     * @throws IllegalArgumentException if key is null
     */
    public Op invokeCas(int process, String key, @Nullable String expected, String value) {
        if (key == null) {
            throw new IllegalArgumentException("an operation needs a key, got null");
        }
        return append(process, OpKind.CAS, key, value, expected);
    }

    private Op append(int process, OpKind kind, String key, @Nullable String value, @Nullable String expected) {
        long id = ids.getAndIncrement();
        Op op = new Op(this, id, process, kind, key, value, expected, nowNanos());
        log.add(op);
        return op;
    }

    /**
     * Runs {@code call} as one recorded operation: OK with the call's return value as its result if it returns,
     * otherwise FAIL or UNKNOWN as {@code classifier} decides, and the exception is rethrown. An
     * {@link InterruptedException} is classified like any other and rethrown with the thread's interrupt flag set.
     *
     * @param process the client (process) id
     * @param kind what it does
     * @param key the key
     * @param value the value it writes, or null
     * @param call the client call; returns the result to record (a read's value) or null
     * @param classifier what an exception means, e.g. {@link ZkOutcomes#classifier()}
     * @return what {@code call} returned
     * @throws Exception what {@code call} threw
     * @throws IllegalArgumentException if kind, key, call or classifier is null, or kind is CAS
     */
    public String record(
            int process, OpKind kind, String key, String value, Callable<String> call, OutcomeClassifier classifier)
            throws Exception {
        if (call == null || classifier == null) {
            throw new IllegalArgumentException(
                    "record needs a call and a classifier, got call=" + call + " classifier=" + classifier);
        }
        Op op = invoke(process, kind, key, value);
        String result;
        try {
            result = call.call();
        } catch (Exception | Error e) {
            Outcome outcome = classifier.classify(kind, e);
            if (outcome == Outcome.OK || outcome == null) {
                outcome = Outcome.UNKNOWN;
            }
            op.complete(outcome, e.getClass().getSimpleName());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        op.ok(result);
        return result;
    }

    /**
     * Records an event now (see the class comment for the kinds the checkers and the timeline understand).
     *
     * @param source who or what it is about ("chaos", "node-2"), non-blank
     * @param kind what happened, non-blank
     * @param description the details, non-null
     * @return the event
     * @throws IllegalArgumentException if source or kind is blank or description is null
     */
    public Event event(String source, String kind, String description) {
        Event e = new Event(ids.getAndIncrement(), nowNanos(), source, kind, description);
        log.add(e);
        return e;
    }

    /**
     * Records that a fault starts now ({@value #FAULT_START}).
     *
     * @param source who injects it ("chaos", "test")
     * @param description what it is ("partition 1,2|3"); the end must use the same text
     * @return the event
     */
    public Event faultStarted(String source, String description) {
        return event(source, FAULT_START, description);
    }

    /**
     * Records that a fault ends now ({@value #FAULT_END}); it closes the earliest open fault with the same source and
     * description.
     *
     * @param source who injected it
     * @param description what it was, as given to {@link #faultStarted}
     * @return the event
     */
    public Event faultEnded(String source, String description) {
        return event(source, FAULT_END, description);
    }

    /**
     * Records that the effect of a fault ends now ({@value #FAULT_EFFECT_END}): what it broke works again. It belongs
     * to the earliest fault with the same source and description that ended and whose effect had not.
     *
     * @param source who injected it
     * @param description what it was, as given to {@link #faultStarted}
     * @return the event
     */
    public Event faultEffectEnded(String source, String description) {
        return event(source, FAULT_EFFECT_END, description);
    }

    /**
     * Records that node {@code nodeId} has {@code role} from now on ({@value #ROLE}, source {@code node-N}).
     *
     * @param nodeId the node's id
     * @param role the role's name ("LEADER", "FOLLOWER", "LOOKING", "STOPPED", ...)
     * @return the event
     */
    public Event role(int nodeId, String role) {
        return event("node-" + nodeId, ROLE, role);
    }

    /**
     * Records that node {@code nodeId} runs ZooKeeper {@code version} from now on ({@value #VERSION}, source
     * {@code node-N}).
     *
     * @param nodeId the node's id
     * @param version the version ("3.8.6")
     * @return the event
     */
    public Event version(int nodeId, String version) {
        return event("node-" + nodeId, VERSION, version);
    }

    /**
     * Records that {@code process} believes it holds {@code lock} from now on (for {@code MutualExclusion}). Call it
     * where your code starts acting as the holder, e.g. in Curator's {@code LeaderLatchListener.isLeader()} or right
     * after {@code InterProcessMutex.acquire} returned true.
     *
     * @param process the process id
     * @param lock the lock's name
     * @return the event
     */
    public Event acquired(int process, String lock) {
        return event(processSource(process), LOCK_ACQUIRED, lock);
    }

    /**
     * Records that {@code process} released {@code lock} (e.g. before {@code InterProcessMutex.release}, in
     * {@code LeaderLatchListener.notLeader()}).
     *
     * @param process the process id
     * @param lock the lock's name
     * @return the event
     */
    public Event released(int process, String lock) {
        return event(processSource(process), LOCK_RELEASED, lock);
    }

    /**
     * Records that {@code process} learned it lost {@code lock} (e.g. Curator's {@code ConnectionStateListener} saw
     * SUSPENDED or LOST while holding it).
     *
     * @param process the process id
     * @param lock the lock's name
     * @return the event
     */
    public Event lost(int process, String lock) {
        return event(processSource(process), LOCK_LOST, lock);
    }

    /**
     * The event source naming a process: {@code process-P}.
     *
     * @param process the process id
     * @return the source
     */
    public static String processSource(int process) {
        return "process-" + process;
    }

    /**
     * A snapshot of every operation and event, ordered by start time (then id).
     *
     * @return an immutable list
     */
    public List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        for (Object o : log) {
            all.add(toEntry(o));
        }
        all.sort(ORDER);
        return Collections.unmodifiableList(all);
    }

    /**
     * A snapshot of the operations, ordered by invocation time (then id).
     *
     * @return an immutable list
     */
    public List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (Object o : log) {
            if (!(o instanceof Event)) {
                ops.add((Operation) toEntry(o));
            }
        }
        ops.sort(ORDER);
        return Collections.unmodifiableList(ops);
    }

    /**
     * A snapshot of the events, ordered by time (then id).
     *
     * @return an immutable list
     */
    public List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (Object o : log) {
            if (o instanceof Event e) {
                events.add(e);
            }
        }
        events.sort(ORDER);
        return Collections.unmodifiableList(events);
    }

    private static Entry toEntry(Object o) {
        if (o instanceof Op op) {
            return op.snapshot();
        }
        if (o instanceof Fixed f) {
            return f.operation();
        }
        return (Event) o;
    }

    /** A summary: how many operations by outcome, and events. */
    @Override
    public String toString() {
        int ok = 0;
        int fail = 0;
        int unknown = 0;
        for (Operation o : operations()) {
            switch (o.outcome()) {
                case OK -> ok++;
                case FAIL -> fail++;
                default -> unknown++;
            }
        }
        return "History[" + ok + " ok, " + fail + " fail, " + unknown + " unknown, " + events().size() + " events]";
    }
}
