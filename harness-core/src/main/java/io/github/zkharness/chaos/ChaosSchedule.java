package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkNode;
import io.github.zkharness.history.History;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A seeded, replayable schedule of faults for one ensemble; get it from {@link #of(ZkEnsemble)}, start it in the
 * background with {@link #start()}:
 *
 * <pre>{@code
 * try (ChaosRun run = ChaosSchedule.of(zk).seed(42).kinds(ChaosKind.KILL, ChaosKind.PARTITION).start()) {
 *     ... the workload ...
 * }   // stops drawing, heals, restarts what is down, waits until every node serves
 * }</pre>
 *
 * <h2>What is drawn, what is decided when a step runs</h2>
 * Each step's kind, its target as far as ids go (node 2, the partition 1,2|3, "the leader"), how long it is held and
 * the pause after it are drawn up front from {@link java.util.Random} seeded with {@link #seed(long)}, and from the
 * options and the ensemble's node ids only: the same seed and options on an ensemble of the same shape give the same
 * {@link #plan(int) planned steps} on any JVM. What depends on the moment is decided when the step runs and recorded in
 * its {@link ChaosStep}: which node "the leader" is, which session is expired, and whether the safety rules let the
 * step run now (a skipped step is recorded with its reason).
 *
 * <h2>Timing</h2>
 * A held step is applied, held for its drawn time between {@link #hold(Duration, Duration)}'s bounds, then undone (a
 * healed fault, a restarted node). At most {@link #maxFaultsInForce(int)} held steps are in force at once (default 1:
 * one after another); the next step starts once a slot is free and the previous step's pause
 * ({@link #pause(Duration, Duration)}) has passed.
 *
 * <h2>Safety rules (checked when a step runs)</h2>
 * <ul>
 *   <li>Kill, stop, restart, wipe, freeze and isolate of a voter are skipped when they would leave more than
 *       {@link #maxVotersDown(int)} voters down or cut off at once (default {@code (voters - 1) / 2}: never more than
 *       a quorum can lose). Partitions, cuts and slow links are not counted: they may cut a majority off for their hold
 *       time, as real networks do; writes then fail, which a correct client must survive.</li>
 *   <li>A voter is wiped only while every node runs, no fault of the run is in force and the ensemble serves (see
 *       {@link ChaosKind#WIPE}); the run then waits until it has resynced.</li>
 *   <li>A step on a node that is down already, or on the leader when none leads, is skipped.</li>
 * </ul>
 *
 * <h2>Replaying</h2>
 * The seed is the one given to {@link #seed(long)}, unless the system property {@value #SEED_PROPERTY} is set, which
 * overrides it (so a failed run is replayed without editing the test:
 * {@code ./mvnw test -Dtest=MyTest -Dzkharness.chaos.seed=42}); without either, a random seed. {@link #toString()} is
 * the Java call that replays this schedule, and every failure message of a run names the seed and that call
 * ({@link ChaosRun#replay()}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ChaosSchedule {

    /** The system property that overrides every schedule's seed: {@code -Dzkharness.chaos.seed=42}. */
    public static final String SEED_PROPERTY = "zkharness.chaos.seed";

    static final Duration DEFAULT_HOLD_MIN = Duration.ofMillis(300);
    static final Duration DEFAULT_HOLD_MAX = Duration.ofMillis(2000);
    static final Duration DEFAULT_PAUSE_MIN = Duration.ofMillis(200);
    static final Duration DEFAULT_PAUSE_MAX = Duration.ofMillis(1000);

    private final ZkEnsemble zk;
    private @Nullable Long seed;
    private final Map<ChaosKind, Integer> weights = new EnumMap<>(ChaosKind.class);
    private boolean kindsChosen;
    private Duration holdMin = DEFAULT_HOLD_MIN;
    private Duration holdMax = DEFAULT_HOLD_MAX;
    private Duration pauseMin = DEFAULT_PAUSE_MIN;
    private Duration pauseMax = DEFAULT_PAUSE_MAX;
    private @Nullable Integer maxVotersDown;
    private int maxFaultsInForce = 1;
    private int recoverMin;
    private int recoverMax;
    private Duration recoveryTimeout = Duration.ofSeconds(60);
    private @Nullable Duration duration;
    private @Nullable History history;
    private @Nullable Supplier<? extends Collection<Long>> sessions;
    private final List<Consumer<ChaosStep>> listeners = new ArrayList<>();

    private ChaosSchedule(ZkEnsemble zk) {
        this.zk = zk;
        for (ChaosKind kind : ChaosKind.defaults()) {
            weights.put(kind, 1);
        }
    }

    /**
     * A schedule for {@code zk}, with every drawable kind; the same as {@code ChaosSchedule.of(zk)}.
     *
     * @param zk the ensemble
     * @return a new schedule
     * @throws NullPointerException if zk is null
     */
    public static ChaosSchedule of(ZkEnsemble zk) {
        return new ChaosSchedule(Objects.requireNonNull(zk, "zk must not be null"));
    }

    /**
     * The seed that draws the schedule (overridden by the system property {@value #SEED_PROPERTY} when set).
     *
     * @param seed any value
     * @return this schedule
     */
    public ChaosSchedule seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The kinds to draw from, each as likely as the others (default: {@link ChaosKind#defaults()}; disk and
     * membership kinds only when named here or given a {@link #weight}).
     *
     * @param kinds at least one
     * @return this schedule
     * @throws IllegalArgumentException for none, null, or {@link ChaosKind#RECOVER} (see {@link #recoverEvery})
     */
    public ChaosSchedule kinds(ChaosKind... kinds) {
        Objects.requireNonNull(kinds, "kinds must not be null");
        return kinds(List.of(kinds));
    }

    /**
     * {@link #kinds(ChaosKind...)} from a collection, e.g. {@code kinds(ChaosKind.network())}.
     *
     * @param kinds at least one
     * @return this schedule
     * @throws IllegalArgumentException for none, null, or {@link ChaosKind#RECOVER}
     */
    public ChaosSchedule kinds(Collection<ChaosKind> kinds) {
        if (kinds == null || kinds.isEmpty()) {
            throw new IllegalArgumentException(
                    "kinds needs at least one of " + ChaosKind.drawable() + ", got " + kinds);
        }
        for (ChaosKind k : kinds) {
            checkDrawable(k);
        }
        weights.clear();
        kinds.forEach(k -> weights.put(k, 1));
        kindsChosen = true;
        return this;
    }

    /**
     * How likely {@code kind} is relative to the others (default 1 each); 0 leaves it out, a kind not chosen yet is
     * added.
     *
     * @param kind the kind
     * @param weight 0 to 1000
     * @return this schedule
     * @throws IllegalArgumentException for a weight out of range, or {@link ChaosKind#RECOVER}
     */
    public ChaosSchedule weight(ChaosKind kind, int weight) {
        checkDrawable(kind);
        if (weight < 0 || weight > 1000) {
            throw new IllegalArgumentException("a weight is between 0 and 1000, got " + weight + " for " + kind);
        }
        weights.put(kind, weight);
        kindsChosen = true;
        return this;
    }

    private static void checkDrawable(ChaosKind kind) {
        if (kind == null || kind == ChaosKind.RECOVER) {
            throw new IllegalArgumentException("a schedule draws from " + ChaosKind.drawable() + ", got " + kind
                    + (kind == ChaosKind.RECOVER ? "; use recoverEvery(min, max) for recoveries" : ""));
        }
    }

    /**
     * How long each held step is held, drawn uniformly between the bounds (default 300 ms to 2 s).
     *
     * @param min at least 0
     * @param max at least {@code min}, at most 10 minutes
     * @return this schedule
     * @throws IllegalArgumentException for a negative {@code min}, {@code max < min} or {@code max} over 10 minutes
     */
    public ChaosSchedule hold(Duration min, Duration max) {
        checkRange("hold", min, max);
        this.holdMin = min;
        this.holdMax = max;
        return this;
    }

    /**
     * The pause before the next step starts, drawn uniformly between the bounds (default 200 ms to 1 s).
     *
     * @param min at least 0
     * @param max at least {@code min}, at most 10 minutes
     * @return this schedule
     * @throws IllegalArgumentException for a negative {@code min}, {@code max < min} or {@code max} over 10 minutes
     */
    public ChaosSchedule pause(Duration min, Duration max) {
        checkRange("pause", min, max);
        this.pauseMin = min;
        this.pauseMax = max;
        return this;
    }

    private static void checkRange(String what, Duration min, Duration max) {
        if (min == null
                || max == null
                || min.isNegative()
                || max.compareTo(min) < 0
                || max.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(what + " needs 0 <= min <= max <= 10 min, got " + min + " and " + max);
        }
    }

    /**
     * How many voters node faults (kill, stop, restart, wipe, freeze, isolate) may leave down or cut off at once.
     * Default {@code (voters - 1) / 2}, what a quorum can lose; more lets the ensemble lose its quorum.
     *
     * @param count 0 to the number of voters
     * @return this schedule
     * @throws IllegalArgumentException for a count out of range
     */
    public ChaosSchedule maxVotersDown(int count) {
        int voters = zk.voters().size();
        if (count < 0 || count > voters) {
            throw new IllegalArgumentException(
                    "maxVotersDown must be between 0 and the " + voters + " voters, got " + count);
        }
        this.maxVotersDown = count;
        return this;
    }

    /**
     * How many held steps may be in force at once (default 1: each is undone before the next starts).
     *
     * @param count 1 to 10
     * @return this schedule
     * @throws IllegalArgumentException for a count out of range
     */
    public ChaosSchedule maxFaultsInForce(int count) {
        if (count < 1 || count > 10) {
            throw new IllegalArgumentException("maxFaultsInForce must be between 1 and 10, got " + count);
        }
        this.maxFaultsInForce = count;
        return this;
    }

    /**
     * Inserts a {@link ChaosKind#RECOVER} step every {@code min} to {@code max} steps (drawn): everything healed,
     * restarted, and every node serving again within {@link #recoveryTimeout(Duration)}, or the step fails. Default:
     * none (the run recovers only when closed).
     *
     * @param min at least 2
     * @param max at least {@code min}
     * @return this schedule
     * @throws IllegalArgumentException for {@code min < 2} or {@code max < min}
     */
    public ChaosSchedule recoverEvery(int min, int max) {
        if (min < 2 || max < min || max > 10_000) {
            throw new IllegalArgumentException(
                    "recoverEvery needs 2 <= min <= max <= 10000 steps, got " + min + " and " + max);
        }
        this.recoverMin = min;
        this.recoverMax = max;
        return this;
    }

    /**
     * How long a recovery (a {@link ChaosKind#RECOVER} step, or closing the run) may take until every node serves
     * again; default 60 s.
     *
     * @param timeout positive
     * @return this schedule
     * @throws IllegalArgumentException unless positive
     */
    public ChaosSchedule recoveryTimeout(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("recoveryTimeout must be positive, got " + timeout);
        }
        this.recoveryTimeout = timeout;
        return this;
    }

    /**
     * Stops drawing new steps {@code duration} after the start (held steps are still undone when their time is up);
     * default: until the run is closed. The run still needs {@link ChaosRun#close()} to restart and await the nodes.
     *
     * @param duration positive
     * @return this schedule
     * @throws IllegalArgumentException unless positive
     */
    public ChaosSchedule duration(Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        this.duration = duration;
        return this;
    }

    /**
     * Records into {@code history}: the seed ({@value ChaosRun#SEED_EVENT} event), every fault made on the ensemble
     * while the run lasts, its own steps and any other ({@link ZkEnsemble#recordFaults(History, String)}, source
     * {@code "chaos"}: start, end of action, end of effect), and every node's role as it
     * changes, sampled every 10 ms ({@link History#role}; a stopped, killed or frozen node as {@code STOPPED},
     * {@code KILLED} or {@code FROZEN}).
     *
     * @param history the history
     * @return this schedule
     */
    public ChaosSchedule history(History history) {
        this.history = Objects.requireNonNull(history, "history must not be null");
        return this;
    }

    /**
     * Where {@link ChaosKind#EXPIRE_SESSION} and {@link ChaosKind#DROP_CONNECTION} find sessions: asked when such a
     * step runs, e.g. {@code () -> List.of(client.getSessionId())}. Without it, any session a running server reports
     * ({@code cons}) may be picked, including those of the test's own helper clients.
     *
     * @param sessionIds the session ids to choose from now (0 = none, ignored)
     * @return this schedule
     */
    public ChaosSchedule sessions(Supplier<? extends Collection<Long>> sessionIds) {
        this.sessions = Objects.requireNonNull(sessionIds, "sessionIds must not be null");
        return this;
    }

    /**
     * Calls {@code listener} on the run's thread whenever a step starts, is skipped, ends or fails, e.g.
     * {@code onStep(System.out::println)}. A listener that throws fails the run at close.
     *
     * @param listener the listener
     * @return this schedule
     */
    public ChaosSchedule onStep(Consumer<ChaosStep> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /**
     * The first {@code count} steps this schedule would run, as drawn from its seed (see the class comment); nothing
     * runs.
     *
     * @param count 0 to 1,000,000
     * @return the planned steps
     * @throws IllegalArgumentException for a count out of range
     */
    public List<PlannedStep> plan(int count) {
        if (count < 0 || count > 1_000_000) {
            throw new IllegalArgumentException("plan count must be between 0 and 1000000, got " + count);
        }
        Planner planner = planner(effectiveSeed());
        List<PlannedStep> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            steps.add(planner.next());
        }
        return steps;
    }

    /**
     * Starts the schedule in the background; close the returned run to stop it.
     *
     * @return the running schedule
     * @throws IllegalStateException if the ensemble is not running
     */
    public ChaosRun start() {
        if (!zk.isRunning()) {
            throw new IllegalStateException(
                    "a chaos run needs a running ensemble; " + zk.name() + " is not running: " + zk.describe());
        }
        long s = effectiveSeed();
        return ChaosRun.start(zk, this, s, planner(s));
    }

    /** The seed in force: the system property's, else the one set, else a random one. */
    long effectiveSeed() {
        String property = System.getProperty(SEED_PROPERTY);
        if (property != null && !property.isBlank()) {
            try {
                return Long.decode(property.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long, got \"" + property + "\"");
            }
        }
        if (seed == null) {
            seed = new SecureRandom().nextLong();
        }
        return seed;
    }

    private Planner planner(long s) {
        List<Integer> ids = zk.nodes().stream().map(ZkNode::id).sorted().toList();
        return new Planner(s, weights, ids, holdMin, holdMax, pauseMin, pauseMax, recoverMin, recoverMax);
    }

    int maxVotersDownOrDefault() {
        return maxVotersDown != null ? maxVotersDown : (zk.voters().size() - 1) / 2;
    }

    int maxFaultsInForce() {
        return maxFaultsInForce;
    }

    Duration recoveryTimeout() {
        return recoveryTimeout;
    }

    @Nullable
    Duration duration() {
        return duration;
    }

    @Nullable
    History history() {
        return history;
    }

    @Nullable
    Supplier<? extends Collection<Long>> sessions() {
        return sessions;
    }

    List<Consumer<ChaosStep>> listeners() {
        return List.copyOf(listeners);
    }

    /** The Java call that replays this schedule with seed {@code s}. */
    String replayCall(long s) {
        StringBuilder call =
                new StringBuilder("ChaosSchedule.of(zk).seed(").append(s).append("L)");
        if (kindsChosen) {
            if (weights.values().stream().allMatch(w -> w == 1)) {
                call.append(".kinds(")
                        .append(weights.keySet().stream()
                                .map(k -> "ChaosKind." + k)
                                .collect(Collectors.joining(", ")))
                        .append(')');
            } else {
                call.append(".kinds(")
                        .append(weights.entrySet().stream()
                                .filter(e -> e.getValue() > 0)
                                .findFirst()
                                .map(e -> "ChaosKind." + e.getKey())
                                .orElse(""))
                        .append(')');
                weights.forEach((k, w) -> call.append(".weight(ChaosKind.")
                        .append(k)
                        .append(", ")
                        .append(w)
                        .append(')'));
            }
        }
        if (!holdMin.equals(DEFAULT_HOLD_MIN) || !holdMax.equals(DEFAULT_HOLD_MAX)) {
            call.append(".hold(")
                    .append(millis(holdMin))
                    .append(", ")
                    .append(millis(holdMax))
                    .append(')');
        }
        if (!pauseMin.equals(DEFAULT_PAUSE_MIN) || !pauseMax.equals(DEFAULT_PAUSE_MAX)) {
            call.append(".pause(")
                    .append(millis(pauseMin))
                    .append(", ")
                    .append(millis(pauseMax))
                    .append(')');
        }
        if (maxVotersDown != null) {
            call.append(".maxVotersDown(").append(maxVotersDown).append(')');
        }
        if (maxFaultsInForce != 1) {
            call.append(".maxFaultsInForce(").append(maxFaultsInForce).append(')');
        }
        if (recoverMin > 0) {
            call.append(".recoverEvery(")
                    .append(recoverMin)
                    .append(", ")
                    .append(recoverMax)
                    .append(')');
        }
        return call.append(".start()").toString();
    }

    private static String millis(Duration d) {
        return "Duration.ofMillis(" + d.toMillis() + ")";
    }

    /** The Java call that replays this schedule (its seed, and every option that changes what is drawn). */
    @Override
    public String toString() {
        return replayCall(effectiveSeed());
    }
}
