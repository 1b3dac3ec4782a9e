package io.github.zkharness.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Threads are found by name and by group while alive, and not once they ended. */
class ThreadsTests {

    @Test
    void aLiveThreadIsFoundByNameAndGroupAndAnEndedOneIsNot() throws Exception {
        ThreadGroup group = new ThreadGroup("kit-threads-test-7");
        CountDownLatch stop = new CountDownLatch(1);
        Thread thread = new Thread(
                group,
                () -> {
                    try {
                        stop.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "kit-threads-test-worker");
        thread.start();
        try {
            assertEquals(List.of(thread), Threads.named("kit-threads-test-worker"));
            assertEquals(
                    List.of("kit-threads-test-worker"), Threads.namesInGroups(g -> g.equals("kit-threads-test-7")));
            assertEquals(Set.of("kit-threads-test-7"), Threads.groupsStartingWith("kit-threads-test-"));
            assertTrue(JvmResources.threads().contains(thread), "not one of the threads leak checks leave out");
        } finally {
            stop.countDown();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertEquals(List.of(), Threads.named("kit-threads-test-worker"));
        assertEquals(Set.of(), Threads.groupsStartingWith("kit-threads-test-"));
    }
}
