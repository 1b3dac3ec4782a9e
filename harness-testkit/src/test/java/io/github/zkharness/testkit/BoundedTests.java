package io.github.zkharness.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Bounded calls: results and exceptions come through; a call that hangs fails at once, saying where it is. */
class BoundedTests {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void returnsWhatTheCallReturnsAndRethrowsWhatItThrows() {
        IllegalStateException thrown = new IllegalStateException("boom");
        try (Bounded bounded = new Bounded()) {
            assertEquals(42, bounded.call("answer", LIMIT, () -> 42));
            assertSame(
                    thrown,
                    assertThrows(
                            IllegalStateException.class,
                            () -> bounded.run("boom", LIMIT, () -> {
                                throw thrown;
                            })));
            AssertionError wrapped = assertThrows(
                    AssertionError.class,
                    () -> bounded.run("io", LIMIT, () -> {
                        throw new IOException("disk");
                    }));
            assertEquals("harness call io threw java.io.IOException: disk", wrapped.getMessage());
            assertEquals(3, bounded.callCount());
            assertEquals(List.of(), bounded.hungCalls());
        }
    }

    @Test
    void aCallThatHangsFailsNamingItAndWhereItIsStuck() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (Bounded bounded = new Bounded()) {
            Bounded.HungCall hung = assertThrows(
                    Bounded.HungCall.class, () -> bounded.run("waitForever", Duration.ofMillis(200), never::await));
            assertTrue(
                    hung.getMessage().startsWith("harness call waitForever did not return within 200 ms; stuck at:\n"),
                    hung.getMessage());
            assertTrue(hung.getMessage().contains("CountDownLatch.await"), hung.getMessage());
            assertEquals(List.of("waitForever"), bounded.hungCalls());
            List<Thread> workers = Threads.live(t -> t.getName().startsWith(Bounded.THREAD_PREFIX));
            assertTrue(workers.stream().allMatch(Thread::isDaemon), "workers are daemons: " + workers);
        } finally {
            never.countDown(); // let the worker go
        }
    }
}
