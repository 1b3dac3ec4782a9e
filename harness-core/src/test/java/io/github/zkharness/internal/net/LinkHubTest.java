package io.github.zkharness.internal.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Forwarding, connection life cycle, and hub life cycle of {@link LinkHub} and {@link Link}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinkHubTest extends NetTestSupport {

    @Test
    void echoesThroughALinkInBothDirections() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("echo", server.address());
        assertEquals("echo", link.name());
        assertEquals("127.0.0.1", link.listenAddress().getAddress().getHostAddress());
        assertNotEquals(0, link.listenAddress().getPort());
        assertEquals(server.address(), link.target());
        assertEquals(List.of(link), hub.links());

        Socket socket = connect(link);
        roundTrip(socket, "hello");
        roundTrip(socket, "world, again");
        assertEquals(1, link.connectionCount());
        await().atMost(WAIT)
                .until(() ->
                        link.bytesForwarded(Direction.FORWARD) == 17 && link.bytesForwarded(Direction.BACKWARD) == 17);
        assertFalse(link.isFaulty());

        socket.close();
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);
    }

    @Test
    void forwardsALargeTransferIntactBothWays() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("bulk", server.address());
        Socket socket = connect(link);
        byte[] data = randomBytes(8 * 1024 * 1024, 42);

        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> written = writer.submit(() -> {
                OutputStream out = socket.getOutputStream();
                for (int offset = 0; offset < data.length; offset += 10_000) {
                    out.write(data, offset, Math.min(10_000, data.length - offset));
                }
                socket.shutdownOutput();
                return null;
            });
            byte[] echoed = socket.getInputStream().readAllBytes();
            written.get(30, TimeUnit.SECONDS);
            assertArrayEquals(data, echoed);
        } finally {
            writer.shutdownNow();
        }
        // counted just after each write, so a peer may see the bytes a moment before the count does
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(data.length, link.bytesForwarded(Direction.FORWARD));
            assertEquals(data.length, link.bytesForwarded(Direction.BACKWARD));
        });
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);
    }

    @Test
    void handlesManySequentialConnections() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("sequential", server.address());
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(link.listenAddress(), 5_000);
                socket.setSoTimeout(10_000);
                roundTrip(socket, "message " + i);
            }
        }
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);
        assertEquals(100, server.acceptCount());
    }

    @Test
    void handlesManyConcurrentConnections() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("concurrent", server.address());
        int clients = 24;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    byte[] data = randomBytes(200_000, seed);
                    try (Socket socket = new Socket()) {
                        socket.connect(link.listenAddress(), 5_000);
                        socket.setSoTimeout(20_000);
                        for (int offset = 0; offset < data.length; offset += 20_000) {
                            byte[] piece = java.util.Arrays.copyOfRange(data, offset, offset + 20_000);
                            roundTrip(socket, piece);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(clients * 200_000L, link.bytesForwarded(Direction.FORWARD));
            assertEquals(clients * 200_000L, link.bytesForwarded(Direction.BACKWARD));
        });
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);
    }

    @Test
    void halfCloseByTheDialerReachesTheTargetWhichCanStillReply() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("half-close", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);

        client.getOutputStream().write(ascii("request"));
        client.shutdownOutput();
        // the target reads the request and then end-of-stream
        assertArrayEquals(ascii("request"), target.getInputStream().readAllBytes());
        target.getOutputStream().write(ascii("reply after EOF"));
        target.close();

        assertArrayEquals(ascii("reply after EOF"), client.getInputStream().readAllBytes());
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);
    }

    @Test
    void halfCloseByTheTargetReachesTheDialerWhichCanStillSend() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("half-close-back", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);

        target.getOutputStream().write(ascii("banner"));
        target.shutdownOutput();
        assertArrayEquals(ascii("banner"), client.getInputStream().readAllBytes());
        client.getOutputStream().write(ascii("still talking"));
        client.shutdownOutput();
        assertArrayEquals(ascii("still talking"), target.getInputStream().readAllBytes());
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);
    }

    @Test
    void anUnreachableTargetFailsTheDialerPromptly() throws Exception {
        Link link = hub.open("nowhere", deadAddress());
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertDialFails(link.listenAddress(), 5);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        }
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);
    }

    @Test
    void anAbortingDialerResetsTheTargetSideAndTheHubKeepsWorking() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("abort", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);
        roundTripVia(client, target, "before");

        client.setSoLinger(true, 0);
        client.close(); // RST towards the link
        assertPeerGone(target, 5);
        await().atMost(WAIT).until(() -> link.connectionCount() == 0);

        Socket next = connect(link);
        Socket nextTarget = accepted(server);
        roundTripVia(next, nextTarget, "after");
    }

    @Test
    void retargetingAffectsOnlyNewConnections() throws Exception {
        TestServer first = closeLater(TestServer.taggedEcho("A"));
        TestServer second = closeLater(TestServer.taggedEcho("B"));
        Link link = hub.open("retarget", first.address());
        InetSocketAddress listenAddress = link.listenAddress();

        Socket old = connect(link);
        assertArrayEquals(ascii("A"), readExactly(old, 1));

        link.target(second.address());
        assertEquals(second.address(), link.target());
        assertEquals(listenAddress, link.listenAddress());

        Socket fresh = connect(link);
        assertArrayEquals(ascii("B"), readExactly(fresh, 1));
        roundTrip(old, "old still goes to A");
        roundTrip(fresh, "new goes to B");
        assertEquals(1, first.acceptCount());
        assertEquals(1, second.acceptCount());
    }

    @Test
    void oneThreadServesManyLinksAndConnectionsInTheGivenGroup() throws Exception {
        ThreadGroup group = new ThreadGroup("link-hub-test-group");
        String name = hubName + "-grouped";
        try (LinkHub grouped = new LinkHub(name, group)) {
            TestServer server = echoServer();
            List<Link> links = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                links.add(grouped.open("link-" + i, server.address()));
            }
            assertEquals(links, grouped.links());
            for (Link link : links) {
                for (int j = 0; j < 4; j++) {
                    roundTrip(connect(link), "via " + link.name());
                }
            }
            List<Thread> hubThreads = threadsNamed(LinkHub.THREAD_NAME_PREFIX + name);
            assertEquals(1, hubThreads.size(), "threads of the hub");
            assertSame(group, hubThreads.get(0).getThreadGroup());
            assertTrue(hubThreads.get(0).isDaemon());
        }
        await().atMost(WAIT)
                .until(() -> threadsNamed(LinkHub.THREAD_NAME_PREFIX + name).isEmpty());
    }

    @Test
    void closeResetsConnectionsStopsTheThreadAndTheListener() throws Exception {
        TestServer server = acceptingServer();
        Link link = hub.open("closing", server.address());
        Socket client = connect(link);
        Socket target = accepted(server);
        roundTripVia(client, target, "ping");
        InetSocketAddress listenAddress = link.listenAddress();
        assertEquals(1, threadsNamed(LinkHub.THREAD_NAME_PREFIX + hubName).size());

        hub.close();

        await().atMost(WAIT)
                .until(() -> threadsNamed(LinkHub.THREAD_NAME_PREFIX + hubName).isEmpty());
        assertPeerGone(client, 5);
        assertPeerGone(target, 5);
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(listenAddress, 5_000);
            }
        });
        assertEquals(List.of(), hub.links());
        hub.close(); // idempotent
        link.close(); // no-op once the hub is closed
    }

    @Test
    void callsAfterCloseThrowIllegalState() throws Exception {
        TestServer server = echoServer();
        Link link = hub.open("after-close", server.address());
        hub.close();

        String expected = "link hub " + hubName + " is closed";
        List<Executable> calls = List.of(
                () -> hub.open("late", server.address()),
                () -> link.target(server.address()),
                link::reset,
                () -> link.refuse(true),
                () -> link.stall(Direction.FORWARD, true),
                () -> link.latency(Duration.ofMillis(1), Duration.ZERO),
                () -> link.bandwidth(1000),
                link::clearFaults);
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals(expected, e.getMessage());
        }
        // getters keep answering
        assertEquals("after-close", link.name());
        assertEquals(0, link.connectionCount());
    }

    @Test
    void closingOneLinkLeavesTheOthersWorking() throws Exception {
        TestServer server = acceptingServer();
        Link doomed = hub.open("doomed", server.address());
        Link survivor = hub.open("survivor", server.address());
        Socket client = connect(doomed);
        Socket target = accepted(server);
        roundTripVia(client, target, "hi");

        doomed.close();
        doomed.close(); // idempotent

        assertPeerGone(client, 5);
        assertPeerGone(target, 5);
        assertEquals(List.of(survivor), hub.links());
        assertEquals(0, doomed.connectionCount());
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(doomed.listenAddress(), 5_000);
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, doomed::reset);
        assertEquals("link doomed is closed", e.getMessage());

        Socket other = connect(survivor);
        Socket otherTarget = accepted(server);
        roundTripVia(other, otherTarget, "still here");
    }

    @Test
    void rejectsMissingArguments() throws Exception {
        TestServer server = echoServer();
        assertThrows(NullPointerException.class, () -> new LinkHub(null, null));
        NullPointerException noName = assertThrows(NullPointerException.class, () -> hub.open(null, server.address()));
        assertEquals("name", noName.getMessage());
        NullPointerException noTarget = assertThrows(NullPointerException.class, () -> hub.open("x", null));
        assertEquals("target", noTarget.getMessage());
        IllegalArgumentException unresolved = assertThrows(
                IllegalArgumentException.class,
                () -> hub.open("x", InetSocketAddress.createUnresolved("no-such-host.invalid", 1)));
        assertTrue(unresolved.getMessage().contains("no-such-host.invalid"), unresolved.getMessage());

        Link link = hub.open("args", server.address());
        assertThrows(NullPointerException.class, () -> link.target(null));
        assertThrows(NullPointerException.class, () -> link.bytesForwarded(null));
        assertEquals(server.address(), link.target());
    }

    /** Client writes, target reads; target writes, client reads. */
    static void roundTripVia(Socket client, Socket target, String text) throws IOException {
        byte[] bytes = ascii(text);
        client.getOutputStream().write(bytes);
        assertArrayEquals(bytes, readExactly(target, bytes.length));
        target.getOutputStream().write(bytes);
        assertArrayEquals(bytes, readExactly(client, bytes.length));
    }
}
