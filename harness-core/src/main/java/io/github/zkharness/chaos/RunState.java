package io.github.zkharness.chaos;

import io.github.zkharness.chaos.ChaosStep.Status;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link ChaosRun} shares between its runner thread, its {@link StepExecutor}, its {@link HeldSteps} and its
 * {@code close()}: the steps as recorded so far (each replaced by a new value as it gets further, the step listeners
 * told of each held, done, skipped or failed value), the nodes the run took down, froze or cut off, the problems met
 * on the way (a listener that threw, the runner thread dying), what the run is doing now (for the message when it
 * does not stop). Its faults reach the user's history, if any, through the ensemble ({@code ZkEnsemble.recordFaults}).
 */
final class RunState {

    private final long startNanos = System.nanoTime();
    private final List<Consumer<ChaosStep>> listeners;
    private final List<ChaosStep> steps = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    /** Nodes the run took down (killed, stopped, wiped, or whose disk it filled), restarted at the next recovery. */
    final Set<Integer> downByRun = ConcurrentHashMap.newKeySet();
    /** Nodes the run froze: the role recorder records them as {@code FROZEN}, no session is picked from them. */
    final Set<Integer> frozen = ConcurrentHashMap.newKeySet();
    /** Nodes the run isolated, froze or filled the disk of: no second step takes them down. */
    final Set<Integer> cutOff = ConcurrentHashMap.newKeySet();

    private volatile String current = "starting";

    RunState(List<Consumer<ChaosStep>> listeners) {
        this.listeners = listeners;
    }

    /** When the run started, in {@link System#nanoTime()}. */
    long startNanos() {
        return startNanos;
    }

    /** The time from the run's start to {@code nanos} (a {@link System#nanoTime()}). */
    Duration since(long nanos) {
        return Duration.ofNanos(nanos - startNanos);
    }

    /** What the run is doing now, for the message when it does not stop. */
    String current() {
        return current;
    }

    /** Says what the run is doing now. */
    void doing(String what) {
        current = what;
    }

    /** The steps so far, in order: the live list, read it only. */
    List<ChaosStep> steps() {
        return steps;
    }

    /** The step numbered {@code index} (from 1), as far as it got. */
    ChaosStep step(int index) {
        return steps.get(index - 1);
    }

    /** Records a step that starts now; the listeners are told when it is held or ends. */
    void begin(ChaosStep step) {
        steps.add(step);
    }

    /** Records what a step that is still running acts on, once it is resolved; the listeners are not told. */
    void retarget(ChaosStep step, String target) {
        steps.set(
                step.index() - 1,
                new ChaosStep(step.planned(), target, step.started(), null, Status.HELD, step.detail(), null));
    }

    /** Records a step as held and in force, and tells the listeners. */
    void held(PlannedStep p, ChaosStep step, String target, String description) {
        ChaosStep now = new ChaosStep(p, target, step.started(), null, Status.HELD, description, null);
        steps.set(p.index() - 1, now);
        notifyListeners(now);
    }

    /** Records a step as ended now with {@code status} (DONE or SKIPPED), and tells the listeners. */
    void update(ChaosStep step, Status status, String detail) {
        end(step, status, detail, null);
    }

    /** Records a step as failed now with {@code failure}, and tells the listeners. */
    void failed(ChaosStep step, String detail, Throwable failure) {
        end(step, Status.FAILED, detail, failure);
    }

    private void end(ChaosStep step, Status status, String detail, @Nullable Throwable failure) {
        ChaosStep now = new ChaosStep(
                step.planned(), step.target(), step.started(), since(System.nanoTime()), status, detail, failure);
        steps.set(step.index() - 1, now);
        notifyListeners(now);
    }

    private void notifyListeners(ChaosStep step) {
        for (Consumer<ChaosStep> l : listeners) {
            try {
                l.accept(step);
            } catch (RuntimeException e) {
                problems.add("the step listener " + l + " threw " + e + " on " + step);
            }
        }
    }

    /** Records a problem that fails the run at close. */
    void problem(String problem) {
        problems.add(problem);
    }

    /** The problems so far, other than failed steps. */
    List<String> problems() {
        return problems;
    }
}
