package io.github.zkharness.internal;

import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/** The one polling loop behind every wait of the harness: bounded, and explicit about what never happened. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Await {

    private Await() {}

    /**
     * Polls {@code condition} until it holds or {@code timeout} passes.
     *
     * @param what      what we wait for, phrased to follow "waiting for"
     * @param state     the state of every node, printed when the wait fails
     * @param failFast  runs before each poll; throws to abort the wait (e.g. ZooKeeper asked to exit)
     * @throws ZkTimeoutException naming {@code what}, the timeout and {@code state}
     * @throws ZkInterruptedException at once if the waiting thread is interrupted (for example by JUnit's
     *     {@code @Timeout}); the thread's interrupt flag stays set
     */
    public static void until(
            String what, Duration timeout, BooleanSupplier condition, Supplier<String> state, Runnable failFast) {
        requirePositive("timeout", timeout);
        // a timeout beyond ~146 years is as good as forever; Duration.toNanos() would overflow past ~292
        long budget = timeout.compareTo(Duration.ofDays(36_500 * 4)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos();
        long deadline = System.nanoTime() + budget;
        long pause = 1_000_000L;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ZkInterruptedException("Interrupted while waiting for " + what + "; nodes: " + state.get());
            }
            failFast.run();
            if (condition.getAsBoolean()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ZkTimeoutException(
                        "Timed out after " + format(timeout) + " waiting for " + what + "; nodes: " + state.get());
            }
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(pause * 2, 10_000_000L);
        }
    }

    /** Checks that {@code value} is a positive duration. */
    public static Duration requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /** 1.5 s, 250 ms, 2 min: how durations appear in messages. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.format(Locale.ROOT, "%.1f", ms / 1000.0))
                    + " s";
        }
        return (ms / 60_000) + " min";
    }
}
