package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.chaos.ChaosStep.Status;
import io.github.zkharness.history.History;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChaosSchedule} running in the background, on a thread of its own ({@code zk-chaos-SEED}). Close it to stop:
 * {@link #close()} stops drawing, undoes every step still held (heals its faults, restarts the nodes it took down),
 * restarts any other node the run took down, and waits until every node serves. What ran stays readable:
 * {@link #steps()}.
 *
 * <p>Each step ends {@link ChaosStep.Status#DONE done}, {@link ChaosStep.Status#SKIPPED skipped} (with the reason
 * it did not apply now) or {@link ChaosStep.Status#FAILED failed} (with what the harness threw: one of its timeouts, an
 * interrupt, anything undocumented; never a skip); {@link #summary()} counts each. Failures name the seed and the
 * replay ({@link #replay()}): {@code close()} throws {@link ChaosException} when a step failed (the first failure its
 * cause, the others suppressed), when a step listener threw, when the ensemble does not serve again within the
 * recovery timeout, or when the run's thread does not stop within two minutes; {@link #failures()} lists the failed
 * steps before that.
 *
 * <p>With a {@linkplain ChaosSchedule#history(History) history}, the run records in it, with source {@value #SOURCE},
 * every fault made on the ensemble while it runs (its own and any other, through
 * {@link ZkEnsemble#recordFaults(History, String)}), each with the end of its action and of its effect.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ChaosRun implements Closeable {

    /** The kind of the event that records the seed and replay in the history ({@link ChaosSchedule#history}). */
    public static final String SEED_EVENT = "chaos-seed";
    /** The source of the run's events in the history. */
    public static final String SOURCE = "chaos";

    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    // The run owns its runner thread (drawing the planner's steps, pausing between them, keeping at most
    // maxFaultsInForce held steps in force) and close(). StepExecutor applies each step, HeldSteps undoes the held
    // ones, RunState holds what they share, RoleRecorder samples the roles into the history.

    private final ZkEnsemble zk;
    private final long seed;
    private final String replay;
    private final Planner planner;
    private final int maxInForce;
    private final Duration recoveryTimeout;
    private final @Nullable Duration duration;
    private final @Nullable History history;
    private final RunState state;
    private final HeldSteps heldSteps; // the runner's, then close()'s after the runner ended
    private final StepExecutor executor;
    private final Object signal = new Object();
    private final Thread runner;
    private final @Nullable RoleRecorder roles;
    private ZkEnsemble.@Nullable FaultRecording recording; // while the run records its faults in the history, or null
    private volatile boolean stopping;
    private volatile boolean closed;

    private ChaosRun(ZkEnsemble zk, ChaosSchedule schedule, long seed, Planner planner) {
        this.zk = zk;
        this.seed = seed;
        this.replay = schedule.replayCall(seed) + " on " + zk.voters().size() + " voters and "
                + zk.observers().size() + " observers, or run the test again with -D" + ChaosSchedule.SEED_PROPERTY
                + "=" + seed;
        this.planner = planner;
        this.maxInForce = schedule.maxFaultsInForce();
        this.recoveryTimeout = schedule.recoveryTimeout();
        this.duration = schedule.duration();
        this.history = schedule.history();
        this.state = new RunState(schedule.listeners());
        this.heldSteps = new HeldSteps(zk, state);
        this.executor = new StepExecutor(zk, schedule, seed, state, heldSteps);
        this.runner = new Thread(this::run, "zk-chaos-" + seed);
        this.runner.setDaemon(true);
        this.roles = history == null
                ? null
                : new RoleRecorder(zk, history, state.frozen, seed, () -> !closed || runner.isAlive());
    }

    static ChaosRun start(ZkEnsemble zk, ChaosSchedule schedule, long seed, Planner planner) {
        ChaosRun run = new ChaosRun(zk, schedule, seed, planner);
        LOG.info("chaos run on {} with seed {}; replay: {}", zk.name(), seed, run.replay);
        if (run.history != null) {
            run.history.event(SOURCE, SEED_EVENT, "seed " + seed + "; replay: " + run.replay);
            // every fault made on the ensemble while the run lasts, the run's own included, with its effect window
            run.recording = zk.recordFaults(run.history, SOURCE);
        }
        if (run.roles != null) {
            run.roles.start();
        }
        run.runner.start();
        return run;
    }

    // ---------------------------------------------------------------------------------------------- public

    /**
     * The seed this run drew its steps from.
     *
     * @return the seed this run drew its steps from
     */
    public long seed() {
        return seed;
    }

    /**
     * How to replay this run: the Java call with its seed and options, the ensemble's shape, and the system property,
     * e.g. {@code ChaosSchedule.of(zk).seed(42L).kinds(ChaosKind.KILL).start() on 3 voters and 0 observers, or run the test
     * again with -Dzkharness.chaos.seed=42}.
     *
     * @return the replay instructions
     */
    public String replay() {
        return replay;
    }

    /**
     * Every step so far, in order, each as far as it got; after {@link #close()}, every step that ran.
     *
     * @return every step so far, in order, each as far as it got; after {@link #close()}, every step that ran
     */
    public List<ChaosStep> steps() {
        return List.copyOf(state.steps());
    }

    /**
     * The steps that failed so far (see {@link ChaosStep.Status#FAILED}).
     *
     * @return the steps that failed so far (see {@link ChaosStep.Status#FAILED})
     */
    public List<ChaosStep> failures() {
        return state.steps().stream().filter(s -> s.status() == Status.FAILED).toList();
    }

    /**
     * Whether the run still draws steps (not closed, its {@link ChaosSchedule#duration} not over).
     *
     * @return whether the run still draws steps (not closed, its {@link ChaosSchedule#duration} not over)
     */
    public boolean isDrawing() {
        return runner.isAlive() && !stopping;
    }

    /**
     * One line: the seed, how many steps were done, held, skipped and failed, how many were applied by kind, and the
     * replay, e.g. {@code chaos seed 7: 12 steps: 8 done, 1 held, 2 skipped, 1 failed; applied by kind {KILL=3,
     * PARTITION=6}; replay: ...}.
     *
     * @return one line: the seed, the steps by status and the applied ones by kind, and the replay
     */
    public String summary() {
        Map<Status, Long> byStatus = new EnumMap<>(Status.class);
        Map<ChaosKind, Long> applied = new EnumMap<>(ChaosKind.class);
        List<ChaosStep> steps = List.copyOf(state.steps());
        for (ChaosStep s : steps) {
            byStatus.merge(s.status(), 1L, Long::sum);
            if (s.status() == Status.DONE || s.status() == Status.HELD) {
                applied.merge(s.kind(), 1L, Long::sum);
            }
        }
        return "chaos seed " + seed + ": " + steps.size() + " steps: " + byStatus.getOrDefault(Status.DONE, 0L)
                + " done, " + byStatus.getOrDefault(Status.HELD, 0L) + " held, "
                + byStatus.getOrDefault(Status.SKIPPED, 0L) + " skipped, " + byStatus.getOrDefault(Status.FAILED, 0L)
                + " failed; applied by kind " + applied + "; replay: " + replay;
    }

    /**
     * Stops drawing, undoes every held step, restarts every node the run took down (a node its faults made crash
     * included), and waits until a leader and every running node serve (within the schedule's recovery timeout); a
     * node the test itself stopped or killed stays down. Idempotent.
     *
     * @throws ChaosException naming the seed and replay, if a step failed or a listener threw, if the ensemble does
     *     not serve again in time, or if the run's thread does not stop within two minutes
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            runner.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosException(
                    "interrupted while stopping the chaos run (seed " + seed + "); replay: " + replay, e);
        }
        if (runner.isAlive()) {
            String stack = Arrays.stream(runner.getStackTrace())
                    .limit(25)
                    .map(f -> "\n    at " + f)
                    .collect(Collectors.joining());
            stopRoles();
            throw new ChaosException(
                    "the chaos run (seed " + seed + ") did not stop within " + STOP_TIMEOUT.toSeconds()
                            + " s; it is in: " + state.current() + "; nodes: " + zk.describe() + "; replay: " + replay
                            + "; its thread:"
                            + stack,
                    null);
        }
        ChaosException failure = null;
        try {
            heldSteps.recover("close");
            state.doing("awaiting every node serving");
            zk.awaitServing(recoveryTimeout);
        } catch (RuntimeException e) {
            failure = new ChaosException(
                    "the ensemble did not serve again after the chaos run (seed " + seed + ") was healed: "
                            + e.getMessage() + "; replay: " + replay,
                    e);
        } finally {
            stopRoles();
            if (recording != null) {
                recording.close();
            }
        }
        List<ChaosStep> failed = failures();
        if (failure == null && (!failed.isEmpty() || !state.problems().isEmpty())) {
            List<String> lines = new ArrayList<>(state.problems());
            failed.forEach(s -> lines.add(s.toString()));
            failure = new ChaosException(
                    "the chaos run (seed " + seed + ") had " + lines.size() + " problems:\n  "
                            + String.join("\n  ", lines) + "\nreplay: " + replay,
                    failed.isEmpty() ? null : failed.get(0).failure());
        }
        if (failure != null) {
            for (ChaosStep s : failed) {
                if (s.failure() != failure.getCause()) {
                    failure.addSuppressed(s.failure());
                }
            }
            throw failure;
        }
    }

    @Override
    public String toString() {
        return summary();
    }

    // ---------------------------------------------------------------------------------------------- the runner

    private void run() {
        Duration pauseBefore = Duration.ZERO;
        try {
            while (!stopRequested()) {
                state.doing("waiting for a free slot");
                while (heldSteps.size() >= maxInForce && !stopRequested()) {
                    waitUntil(heldSteps.firstEnd(System.nanoTime()));
                }
                state.doing("pausing");
                long pauseEnd = System.nanoTime() + pauseBefore.toNanos();
                // a pause never outlasts the run's duration
                waitUntil(duration == null ? pauseEnd : Math.min(pauseEnd, state.startNanos() + duration.toNanos()));
                if (stopRequested() || !planner.canDraw()) {
                    break;
                }
                PlannedStep step = planner.next();
                state.doing(step.describe());
                executor.apply(step);
                pauseBefore = step.pause();
            }
            // the duration is over: let the held steps run their course, unless closed
            state.doing("undoing held steps as they end");
            while (!heldSteps.isEmpty() && !stopping) {
                waitUntil(heldSteps.firstEnd(System.nanoTime()));
            }
        } catch (RuntimeException | Error e) {
            state.problem("the chaos thread died in " + state.current() + ": " + e);
            LOG.error("chaos run (seed {}) died in {}", seed, state.current(), e);
        }
        state.doing("stopped");
    }

    private boolean stopRequested() {
        return stopping || duration != null && System.nanoTime() - state.startNanos() >= duration.toNanos();
    }

    /** Undoes the steps whose time is up, then waits until {@code deadline}, a step's end or a stop. */
    private void waitUntil(long deadline) {
        while (true) {
            heldSteps.endDue();
            long now = System.nanoTime();
            long next = Math.min(deadline, heldSteps.firstEnd(deadline));
            if (stopping || now >= deadline) {
                return;
            }
            long waitMillis = Math.max(1, (next - now + 999_999) / 1_000_000);
            synchronized (signal) {
                if (stopping) {
                    return;
                }
                try {
                    signal.wait(waitMillis);
                } catch (InterruptedException e) {
                    stopping = true;
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void stopRoles() {
        if (roles != null) {
            roles.stop();
        }
    }
}
