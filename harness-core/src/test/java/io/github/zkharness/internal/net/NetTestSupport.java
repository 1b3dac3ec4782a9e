package io.github.zkharness.internal.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.zkharness.testkit.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared set-up for the link tests: a fresh hub per test, and sockets/servers closed after it. */
abstract class NetTestSupport {

    static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger HUB_COUNTER = new AtomicInteger();

    LinkHub hub;
    String hubName;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void createHub() throws IOException {
        hubName = getClass().getSimpleName() + "-" + HUB_COUNTER.incrementAndGet();
        hub = new LinkHub(hubName, null);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        hub.close();
    }

    /** Closed after the test, in reverse order of registration. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    TestServer echoServer() throws IOException {
        return closeLater(TestServer.echo());
    }

    TestServer acceptingServer() throws IOException {
        return closeLater(TestServer.accepting());
    }

    Socket connect(Link link) throws IOException {
        return connect(link.listenAddress());
    }

    Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = closeLater(new Socket());
        socket.connect(address, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Closed after the test. */
    Socket accepted(TestServer server) throws Exception {
        Socket socket = closeLater(server.takeAccepted());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Thread names that belong to this test's hub. */
    static List<Thread> threadsNamed(String name) {
        return Threads.named(name);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] readExactly(Socket socket, int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        assertEquals(length, bytes.length, "stream ended early");
        return bytes;
    }

    static void roundTrip(Socket socket, byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        assertArrayEquals(data, readExactly(socket, data.length));
    }

    static void roundTrip(Socket socket, String text) throws IOException {
        roundTrip(socket, ascii(text));
    }

    /**
     * Asserts that the peer has gone: a read ends with a reset (SocketException) or end-of-stream within
     * {@code seconds}, not with a timeout. Bytes still buffered before the end are skipped.
     */
    static void assertPeerGone(Socket socket, int seconds) throws IOException {
        socket.setSoTimeout(seconds * 1000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // drain whatever arrived before the end
            }
        } catch (SocketTimeoutException e) {
            fail("peer of " + socket + " still there after " + seconds + " s");
        } catch (SocketException e) {
            // reset: expected
        }
    }

    /**
     * Asserts that a connection to {@code address} fails within {@code seconds}: either the connect
     * itself sees the reset (the link may reset before the dialer's connect call returns), or the
     * connected socket then reads a reset or end-of-stream.
     */
    void assertDialFails(InetSocketAddress address, int seconds) throws IOException {
        Socket socket = closeLater(new Socket());
        try {
            socket.connect(address, seconds * 1000);
        } catch (SocketTimeoutException e) {
            fail("connecting to " + address + " hung for " + seconds + " s");
        } catch (SocketException e) {
            return; // reset during the handshake's completion
        }
        assertPeerGone(socket, seconds);
    }

    /** A loopback port that nothing listens on (just released). */
    static InetSocketAddress deadAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return (InetSocketAddress) probe.getLocalSocketAddress();
        }
    }
}
