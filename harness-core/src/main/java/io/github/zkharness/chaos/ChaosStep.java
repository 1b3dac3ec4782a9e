package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What one step of a {@link ChaosRun} did, as far as it got: a listener given to
 * {@link ChaosSchedule#onStep(java.util.function.Consumer)} sees a new value at each change (started and held, done,
 * skipped, failed).
 *
 * @param planned the step as the seed drew it
 * @param target what it acted on, resolved when it ran ("node 2 (was LEADER)", "1,2|3", "session 0x1000...")
 * @param started when it started, since the run started
 * @param ended when it was undone (held steps) or finished, since the run started; null while held
 * @param status where it is
 * @param detail what happened: the fault's description, or why it was skipped or failed
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ChaosStep(
        PlannedStep planned, String target, Duration started, Duration ended, Status status, String detail) {

    /** Where a step is. */
    public enum Status {
        /** Applied and held; undone when its hold time is over or the run closes. */
        HELD,
        /** Done: applied and undone, or done once. */
        DONE,
        /** Not applied: the safety rules forbid it now, or the ensemble refused it (no leader, node down, ...). */
        SKIPPED,
        /** The harness threw what it does not document for this call, or the ensemble did not recover in time. */
        FAILED
    }

    /**
     * Checks the values.
     *
     * @param planned as the record component above
     * @param target as the record component above
     * @param started as the record component above
     * @param ended as the record component above
     * @param status as the record component above
     * @param detail as the record component above
     * @throws NullPointerException if planned, target, started, status or detail is null
     */
    public ChaosStep {
        Objects.requireNonNull(planned, "planned");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Its number in the schedule, from 1.
     *
     * @return its number in the schedule, from 1
     */
    public int index() {
        return planned.index();
    }

    /**
     * What it does.
     *
     * @return what it does
     */
    public ChaosKind kind() {
        return planned.kind();
    }

    /** For example {@code #3 +1.20 s partition 1,2|3 DONE at +2.70 s: partition 1,2|3}. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "#%d +%.2f s %s %s %s%s: %s",
                index(),
                started.toMillis() / 1000.0,
                kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                target,
                status,
                ended == null ? "" : String.format(Locale.ROOT, " at +%.2f s", ended.toMillis() / 1000.0),
                detail);
    }
}
