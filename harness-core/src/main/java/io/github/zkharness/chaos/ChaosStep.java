package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

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
 * @param detail what happened: the fault's description, why it was skipped (the reason it did not apply), or how it
 *     failed
 * @param failure what the harness threw when the step {@link Status#FAILED failed}; null otherwise
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ChaosStep(
        PlannedStep planned,
        String target,
        Duration started,
        @Nullable Duration ended,
        Status status,
        String detail,
        @Nullable Throwable failure) {

    /** Where a step is. */
    public enum Status {
        /** Applied and held; undone when its hold time is over or the run closes. */
        HELD,
        /** Done: applied and undone, or done once. */
        DONE,
        /**
         * Not applied, and {@code detail} says why: it did not apply now (the safety rules forbid it, no node leads,
         * no session to pick) or the ensemble refused it as documented (the node went down meanwhile, the session is
         * unknown).
         */
        SKIPPED,
        /**
         * The harness failed inside the step: one of its waits timed out (the ensemble did not recover in time), the
         * run's thread was interrupted, or it threw what it does not document; {@code failure} is what it threw. A
         * failed step fails the run's {@link ChaosRun#close()}.
         */
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
     * @param failure as the record component above
     * @throws NullPointerException if planned, target, started, status or detail is null
     * @throws IllegalArgumentException if a failure is given with a status other than FAILED, or none with FAILED
     */
    public ChaosStep {
        Objects.requireNonNull(planned, "planned");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if ((failure != null) != (status == Status.FAILED)) {
            throw new IllegalArgumentException(
                    "a step has a failure exactly when it FAILED; got status " + status + " and failure " + failure);
        }
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
