package io.github.zkharness.internal.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking test server on 127.0.0.1: one acceptor thread, and per connection either a handler thread
 * or nothing (then the test takes the accepted socket with {@link #takeAccepted()}).
 */
final class TestServer implements AutoCloseable {

    /** What to do with each accepted connection, on its own thread. */
    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final AtomicInteger acceptCount = new AtomicInteger();
    private volatile boolean closed;

    private TestServer(Handler handler) throws IOException {
        this.handler = handler;
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 100);
        this.acceptor = new Thread(this::acceptLoop, "test-server-" + COUNTER.incrementAndGet());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Echoes every byte back until end-of-stream, then closes. */
    static TestServer echo() throws IOException {
        return withHandler(TestServer::echo);
    }

    /** Writes {@code tag} first, then echoes. */
    static TestServer taggedEcho(String tag) throws IOException {
        byte[] bytes = tag.getBytes(StandardCharsets.US_ASCII);
        return withHandler(socket -> {
            socket.getOutputStream().write(bytes);
            echo(socket);
        });
    }

    /** Hands each accepted socket to the test via {@link #takeAccepted()}. */
    static TestServer accepting() throws IOException {
        return new TestServer(null);
    }

    static TestServer withHandler(Handler handler) throws IOException {
        return new TestServer(handler);
    }

    private static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        socket.shutdownOutput();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    int acceptCount() {
        return acceptCount.get();
    }

    /** The next connection accepted (accepting mode), waiting at most 10 s. */
    Socket takeAccepted() throws InterruptedException {
        Socket socket = accepted.poll(10, TimeUnit.SECONDS);
        if (socket == null) {
            throw new AssertionError("no connection reached " + address() + " within 10 s");
        }
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            acceptCount.incrementAndGet();
            sockets.add(socket);
            if (closed) {
                closeQuietly(socket);
                return;
            }
            if (handler == null) {
                accepted.add(socket);
                continue;
            }
            Thread worker = new Thread(
                    () -> {
                        try {
                            handler.handle(socket);
                        } catch (IOException e) {
                            // peer reset or test over
                        } finally {
                            closeQuietly(socket);
                        }
                    },
                    acceptor.getName() + "-conn-" + acceptCount.get());
            worker.setDaemon(true);
            threads.add(worker);
            worker.start();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        try {
            acceptor.join(5_000);
            for (Thread thread : threads) {
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
