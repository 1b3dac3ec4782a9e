package io.github.zkharness.internal.net;

import static io.github.zkharness.internal.net.LinkHubTest.roundTripVia;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The faults of a {@link Link}: reset, refuse, stall, latency, bandwidth. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinkFaultTest extends NetTestSupport {

    @Test
    void resetKillsBothEndsPromptlyAndTheLinkKeepsAccepting() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("reset", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);
        roundTripVia(client, target, "hello");
        assertEquals(1, link.connectionCount());

        link.reset();

        assertEquals(0, link.connectionCount());
        long start = System.nanoTime();
        assertPeerGone(client, 5);
        assertPeerGone(target, 5);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertFalse(link.isFaulty(), "reset is a one-off, not a lasting fault");

        Socket again = connect(link);
        Socket againTarget = accepted(server);
        roundTripVia(again, againTarget, "again");
    }

    @Test
    void refuseResetsExistingAndNewConnectionsUntilLifted() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("refuse", server.address());
        Socket existing = connect(link);
        roundTrip(existing, "before");

        link.refuse(true);
        assertTrue(link.isFaulty());
        assertPeerGone(existing, 5);
        for (int i = 0; i < 3; i++) {
            assertDialFails(link.listenAddress(), 5);
        }
        assertEquals(1, server.acceptCount(), "refused connections never reach the target");
        assertEquals(0, link.connectionCount());

        link.refuse(false);
        assertFalse(link.isFaulty());
        roundTrip(connect(link), "after");
    }

    @Test
    void stallForwardHoldsBytesWhileBackwardFlowsAndReleasesThemInOrder() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("stall", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);
        roundTripVia(client, target, "first");

        link.stall(Direction.FORWARD, true);
        assertTrue(link.isFaulty());
        client.getOutputStream().write(ascii("second,"));
        client.getOutputStream().write(ascii("third"));

        target.setSoTimeout(300);
        assertThrows(
                SocketTimeoutException.class,
                () -> target.getInputStream().read(),
                "bytes crossed a stalled direction");
        // the other direction still flows
        target.getOutputStream().write(ascii("backward works"));
        assertArrayEquals(ascii("backward works"), readExactly(client, 14));

        link.stall(Direction.FORWARD, false);
        target.setSoTimeout(10_000);
        assertArrayEquals(ascii("second,third"), readExactly(target, 12));
        assertEquals(1, link.connectionCount(), "a stall resets nothing");
        roundTripVia(client, target, "normal");
    }

    @Test
    void stallAppliesToConnectionsOpenedLater() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("stall-later", server.address());
        link.stall(Direction.BACKWARD, true);

        Socket client = connect(link);
        Socket target = accepted(server);
        client.getOutputStream().write(ascii("up"));
        assertArrayEquals(ascii("up"), readExactly(target, 2));
        target.getOutputStream().write(ascii("down"));
        client.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());

        link.stall(Direction.BACKWARD, false);
        client.setSoTimeout(10_000);
        assertArrayEquals(ascii("down"), readExactly(client, 4));
    }

    @Test
    void stallBuildsBackPressureInsteadOfBuffering() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("back-pressure", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);
        link.stall(Direction.FORWARD, true);

        byte[] data = randomBytes(64 * 1024 * 1024, 7);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> written = writer.submit(() -> {
                OutputStream out = client.getOutputStream();
                for (int offset = 0; offset < data.length; offset += 65536) {
                    out.write(data, offset, Math.min(65536, data.length - offset));
                }
                client.shutdownOutput();
                return null;
            });
            // the writer blocks: the link stopped reading, so TCP back-pressure reaches the dialer
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !written.isDone());
            assertEquals(0, link.bytesForwarded(Direction.FORWARD));

            link.stall(Direction.FORWARD, false);
            byte[] received = target.getInputStream().readAllBytes();
            written.get(30, TimeUnit.SECONDS);
            assertArrayEquals(data, received);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void latencyDelaysEachDirection() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("latency", server.address());
        Socket client = connect(link);
        roundTrip(client, "warm-up");

        link.latency(Duration.ofMillis(200), Duration.ZERO);
        assertTrue(link.isFaulty());
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            roundTrip(client, "ping " + i);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // 200 ms on the way there and 200 ms on the way back
            assertTrue(elapsedMillis >= 400, "round trip took only " + elapsedMillis + " ms");
        }

        link.latency(Duration.ZERO, Duration.ZERO);
        assertFalse(link.isFaulty());
        roundTrip(client, "no delay");
    }

    @Test
    void latencyAppliesToConnectionsOpenedLater() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("latency-later", server.address());
        link.latency(Duration.ofMillis(150), Duration.ZERO);
        Socket client = connect(link);
        long start = System.nanoTime();
        roundTrip(client, "x");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 300, "round trip took only " + elapsedMillis + " ms");
    }

    @Test
    void jitterKeepsTheOrderWithinADirection() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("jitter", server.address());
        link.latency(Duration.ofMillis(5), Duration.ofMillis(30));
        Socket client = connect(link);

        int messages = 300;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> written = writer.submit(() -> {
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                for (int i = 0; i < messages; i++) {
                    out.writeInt(i);
                    out.flush(); // one small segment each, so many chunks with different delays
                }
                return null;
            });
            DataInputStream in = new DataInputStream(client.getInputStream());
            for (int i = 0; i < messages; i++) {
                assertEquals(i, in.readInt());
            }
            written.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void switchingLatencyOffReleasesHeldBytesAtOnce() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("release", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);
        link.latency(Duration.ofSeconds(60), Duration.ZERO);
        client.getOutputStream().write(ascii("held"));
        target.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> target.getInputStream().read());

        link.clearFaults();
        assertFalse(link.isFaulty());
        target.setSoTimeout(10_000); // far below the 60 s the bytes were due at
        assertArrayEquals(ascii("held"), readExactly(target, 4));
    }

    @Test
    void bandwidthLimitSlowsATransfer() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("bandwidth", server.address());
        link.bandwidth(100_000);
        assertTrue(link.isFaulty());
        Socket client = connect(link);
        Socket target = accepted(server);
        target.setSoTimeout(30_000);

        byte[] data = randomBytes(300_000, 3);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            long start = System.nanoTime();
            Future<?> written = writer.submit(() -> {
                client.getOutputStream().write(data);
                return null;
            });
            byte[] received = readExactly(target, data.length);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            written.get(30, TimeUnit.SECONDS);
            assertArrayEquals(data, received);
            // 300 KB at 100 KB/s: about 3 s; only the lower bound is checked, loosely
            assertTrue(elapsedMillis >= 2_000, "300 KB took only " + elapsedMillis + " ms");

            link.bandwidth(0);
            assertFalse(link.isFaulty());
            Future<?> again = writer.submit(() -> {
                client.getOutputStream().write(data);
                return null;
            });
            assertArrayEquals(data, readExactly(target, data.length));
            again.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void bandwidthLimitAppliesToTheBackwardDirectionToo() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("bandwidth-back", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);
        link.bandwidth(50_000);

        byte[] data = randomBytes(100_000, 5);
        long start = System.nanoTime();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> written = writer.submit(() -> {
                target.getOutputStream().write(data);
                return null;
            });
            client.setSoTimeout(30_000);
            assertArrayEquals(data, readExactly(client, data.length));
            written.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 1_200, "100 KB at 50 KB/s took only " + elapsedMillis + " ms");
    }

    @Test
    void clearFaultsRestoresPassThrough() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("clear", server.address());
        Socket client = connect(link);
        link.stall(Direction.FORWARD, true);
        link.stall(Direction.BACKWARD, true);
        link.latency(Duration.ofSeconds(30), Duration.ofSeconds(1));
        link.bandwidth(10);
        assertTrue(link.isFaulty());
        client.getOutputStream().write(ascii("queued while faulty"));

        link.clearFaults();
        assertFalse(link.isFaulty());
        assertArrayEquals(ascii("queued while faulty"), readExactly(client, 19));
        roundTrip(client, randomBytes(100_000, 11));
    }

    @Test
    void rejectsBadFaultArgumentsNamingTheValue() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("bad-args", server.address());

        IllegalArgumentException negativeBase =
                assertThrows(IllegalArgumentException.class, () -> link.latency(Duration.ofMillis(-5), Duration.ZERO));
        assertTrue(
                negativeBase.getMessage().contains("base")
                        && negativeBase.getMessage().contains("PT-0.005S"),
                negativeBase.getMessage());
        IllegalArgumentException negativeJitter =
                assertThrows(IllegalArgumentException.class, () -> link.latency(Duration.ZERO, Duration.ofSeconds(-1)));
        assertTrue(
                negativeJitter.getMessage().contains("jitter")
                        && negativeJitter.getMessage().contains("PT-1S"),
                negativeJitter.getMessage());
        IllegalArgumentException negativeBandwidth =
                assertThrows(IllegalArgumentException.class, () -> link.bandwidth(-42));
        assertTrue(negativeBandwidth.getMessage().contains("-42"), negativeBandwidth.getMessage());
        NullPointerException nullBase =
                assertThrows(NullPointerException.class, () -> link.latency(null, Duration.ZERO));
        assertEquals("base", nullBase.getMessage());
        NullPointerException nullJitter =
                assertThrows(NullPointerException.class, () -> link.latency(Duration.ZERO, null));
        assertEquals("jitter", nullJitter.getMessage());
        NullPointerException nullDirection = assertThrows(NullPointerException.class, () -> link.stall(null, true));
        assertEquals("direction", nullDirection.getMessage());
        assertThrows(IllegalArgumentException.class, () -> link.latency(Duration.ofDays(365L * 100), Duration.ZERO));

        assertFalse(link.isFaulty(), "rejected calls change nothing");
        roundTrip(connect(link), "fine");
    }

    @Test
    void togglingFaultsUnderTrafficNeverLosesOrReordersBytes() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("toggling", server.address());
        Socket client = connect(link);
        client.setSoTimeout(30_000);
        byte[] data = randomBytes(4 * 1024 * 1024, 13);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch toggling = new CountDownLatch(10); // traffic starts once the faults change under way
        try {
            Future<?> written = threads.submit(() -> {
                assertTrue(toggling.await(30, TimeUnit.SECONDS), "the toggler never got going");
                OutputStream out = client.getOutputStream();
                for (int offset = 0; offset < data.length; offset += 4096) {
                    out.write(data, offset, Math.min(4096, data.length - offset));
                }
                return null;
            });
            AtomicBoolean readerDone = new AtomicBoolean();
            Future<Integer> toggled = threads.submit(() -> {
                Random random = new Random(99);
                int changes = 0;
                while (!readerDone.get()) {
                    switch (random.nextInt(5)) {
                        case 0:
                            link.stall(
                                    random.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD,
                                    random.nextBoolean());
                            break;
                        case 1:
                            link.latency(Duration.ofMillis(random.nextInt(3)), Duration.ofMillis(random.nextInt(3)));
                            break;
                        case 2:
                            link.latency(Duration.ZERO, Duration.ZERO);
                            break;
                        case 3:
                            link.bandwidth(random.nextBoolean() ? 0 : 4_000_000);
                            break;
                        default:
                            link.clearFaults();
                            break;
                    }
                    changes++;
                    toggling.countDown();
                }
                link.clearFaults();
                return changes;
            });
            byte[] echoed;
            try {
                echoed = readExactly(client, data.length);
            } finally {
                readerDone.set(true);
            }
            written.get(30, TimeUnit.SECONDS);
            assertTrue(toggled.get(30, TimeUnit.SECONDS) > 10, "faults were hardly toggled");
            assertArrayEquals(data, echoed);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, link.connectionCount(), "toggling faults resets nothing");
        roundTrip(client, "still in order");
    }

    @Test
    void faultsAreIndependentPerLink() throws Exception {
        TestServer server = echoServer();
        Link slow = hub.open("slow", server.address());
        Link fast = hub.open("fast", server.address());
        slow.stall(Direction.FORWARD, true);
        Socket fastClient = connect(fast);
        roundTrip(fastClient, "fast is fine");
        assertFalse(fast.isFaulty());
        Socket slowClient = connect(slow);
        slowClient.getOutputStream().write(ascii("x"));
        slowClient.setSoTimeout(300);
        assertThrows(
                SocketTimeoutException.class, () -> slowClient.getInputStream().read());
    }
}
