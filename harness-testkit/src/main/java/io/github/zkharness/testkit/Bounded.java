package io.github.zkharness.testkit;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs each harness call on a worker thread and waits for it at most a given time, so that a call that never
 * returns fails the test at once, naming the call and where it is stuck, instead of hanging the build.
 *
 * <p>The worker threads are daemons named {@value #THREAD_PREFIX}N; they die after two idle seconds. Leak
 * checks leave them out of their counts (they belong to the test, not to the harness).
 */
public final class Bounded implements AutoCloseable {

    /** The name of every worker thread starts with this. */
    public static final String THREAD_PREFIX = "zk-reliability-call-";

    /** A harness call did not return within its bound. */
    public static final class HungCall extends AssertionError {
        private static final long serialVersionUID = 1L;

        HungCall(String message) {
            super(message);
        }
    }

    /** Like {@link Runnable}, but may throw. */
    @FunctionalInterface
    public interface Action {
        /** Does the work. */
        void run() throws Exception;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ThreadPoolExecutor pool =
            new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, THREAD_PREFIX + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private final List<String> hung = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * Runs {@code call} and returns what it returns, or rethrows what it throws (unwrapped; a checked exception
     * comes wrapped in an AssertionError).
     *
     * @param what  the call's name, for the message
     * @param limit how long it may take
     * @throws HungCall if it does not return within {@code limit}
     */
    public <T> T call(String what, Duration limit, Callable<T> call) {
        calls.incrementAndGet();
        AtomicReference<Thread> worker = new AtomicReference<>();
        Future<T> future = pool.submit(() -> {
            worker.set(Thread.currentThread());
            return call.call();
        });
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Thread t = worker.get();
            String where = t == null
                    ? "  (never started)"
                    : Arrays.stream(t.getStackTrace())
                            .limit(40)
                            .map(f -> "  at " + f)
                            .collect(Collectors.joining("\n"));
            String message =
                    "harness call " + what + " did not return within " + limit.toMillis() + " ms; stuck at:\n" + where;
            hung.add(what);
            throw new HungCall(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new AssertionError("interrupted while waiting for harness call " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AssertionError("harness call " + what + " threw " + cause, cause);
        }
    }

    /** {@link #call} for calls without a result. */
    public void run(String what, Duration limit, Action action) {
        call(what, limit, () -> {
            action.run();
            return null;
        });
    }

    /** The calls that did not return in time, by name. */
    public List<String> hungCalls() {
        return List.copyOf(hung);
    }

    /** How many calls were made. */
    public int callCount() {
        return calls.get();
    }

    /** Lets idle workers end; a hung call's worker stays (it is a daemon). */
    @Override
    public void close() {
        pool.shutdown();
    }
}
