package io.github.zkharness.internal.net;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Locale;

/**
 * Rough throughput check, not a unit test. Pushes a write-heavy stream (default 200 MB per run) into a
 * sink server directly and through a {@link Link}, several runs each, and prints
 * {@code direct_mb_s=... link_mb_s=... ratio=...} (best run of each), first with 64 KiB writes, then
 * with 1 KiB writes; then times small request/response round trips both ways.
 *
 * <p>Run with the test class path, e.g.
 * {@code java -cp harness-core/target/test-classes:harness-core/target/classes:<slf4j-api.jar>
 * io.github.zkharness.internal.net.LinkThroughputMain [megabytes] [runs]}.
 */
public final class LinkThroughputMain {

    private static final byte MODE_SINK = 'S';
    private static final byte MODE_ECHO = 'E';
    private static final int PING_SIZE = 512;
    private static final int PING_PONGS = 20_000;
    private static final String HUB_NAME = "throughput";

    private LinkThroughputMain() {}

    /** Entry point; optional arguments: megabytes per run (200), runs (5). */
    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 200;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long bytes = megabytes * 1024 * 1024;

        try (Sink sink = new Sink();
                LinkHub hub = new LinkHub(HUB_NAME, null)) {
            Link link = hub.open("sink", sink.address());
            System.out.printf(
                    Locale.ROOT,
                    "%d MB per run, best of %d runs, %d processors%n",
                    megabytes,
                    runs,
                    Runtime.getRuntime().availableProcessors());
            compare("", sink.address(), link.listenAddress(), bytes, 64 * 1024, runs);
            compare("small_writes_1KiB: ", sink.address(), link.listenAddress(), bytes / 4, 1024, runs);

            // small request/response pairs, the shape of ZooKeeper traffic
            pingPong(sink.address(), 2_000);
            pingPong(link.listenAddress(), 2_000);
            double directMicros = pingPong(sink.address(), PING_PONGS);
            double linkMicros = pingPong(link.listenAddress(), PING_PONGS);
            System.out.printf(
                    Locale.ROOT,
                    "pingpong_%dB: direct_rtt_us=%.1f link_rtt_us=%.1f%n",
                    PING_SIZE,
                    directMicros,
                    linkMicros);
        }
    }

    private static void compare(
            String label, InetSocketAddress direct, InetSocketAddress link, long bytes, int writeSize, int runs)
            throws IOException {
        push(direct, bytes / 4, writeSize); // warm-up
        push(link, bytes / 4, writeSize);
        double[] directRates = new double[runs];
        double[] linkRates = new double[runs];
        double hubBusy = 0;
        for (int i = 0; i < runs; i++) {
            directRates[i] = push(direct, bytes, writeSize);
            long hubCpu = hubThreadCpuNanos();
            long start = System.nanoTime();
            linkRates[i] = push(link, bytes, writeSize);
            hubBusy += (hubThreadCpuNanos() - hubCpu) / (double) (System.nanoTime() - start);
        }
        double bestDirect = Arrays.stream(directRates).max().orElse(0);
        double bestLink = Arrays.stream(linkRates).max().orElse(0);
        System.out.printf(
                Locale.ROOT,
                "%sdirect_mb_s=%.0f link_mb_s=%.0f ratio=%.2f (link thread busy %.0f%%)%n",
                label,
                bestDirect,
                bestLink,
                bestLink / bestDirect,
                100 * hubBusy / runs);
    }

    /** CPU time of the hub's selector thread so far, or 0 where the JVM cannot tell. */
    private static long hubThreadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // ThreadInfo's id, not Thread.getId() (deprecated since Java 19; its replacement needs 19)
        for (ThreadInfo thread : threads.dumpAllThreads(false, false, 0)) {
            if (thread.getThreadName().equals(LinkHub.THREAD_NAME_PREFIX + HUB_NAME)) {
                return Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return 0;
    }

    /** Sends {@code bytes} in writes of {@code writeSize}, waits for the sink's count, returns MB/s. */
    private static double push(InetSocketAddress address, long bytes, int writeSize) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(writeSize);
        while (chunk.hasRemaining()) {
            chunk.put((byte) chunk.position());
        }
        long start = System.nanoTime();
        try (SocketChannel channel = SocketChannel.open(address)) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            writeFully(channel, ByteBuffer.wrap(new byte[] {MODE_SINK}));
            long left = bytes;
            while (left > 0) {
                chunk.clear();
                if (left < writeSize) {
                    chunk.limit((int) left);
                }
                left -= chunk.remaining();
                writeFully(channel, chunk);
            }
            channel.shutdownOutput();
            ByteBuffer ack = ByteBuffer.allocate(Long.BYTES);
            while (ack.hasRemaining()) {
                if (channel.read(ack) < 0) {
                    throw new IOException("sink closed before acknowledging");
                }
            }
            long received = ack.flip().getLong();
            if (received != bytes) {
                throw new IOException("sink received " + received + " of " + bytes + " bytes");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return bytes / (1024.0 * 1024.0) / seconds;
    }

    /** Sends {@code count} messages of {@value #PING_SIZE} bytes, each after the previous echo; returns mean RTT in µs. */
    private static double pingPong(InetSocketAddress address, int count) throws IOException {
        try (SocketChannel channel = SocketChannel.open(address)) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            writeFully(channel, ByteBuffer.wrap(new byte[] {MODE_ECHO}));
            ByteBuffer message = ByteBuffer.allocateDirect(PING_SIZE);
            ByteBuffer reply = ByteBuffer.allocateDirect(PING_SIZE);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                writeFully(channel, message.clear());
                reply.clear();
                while (reply.hasRemaining()) {
                    if (channel.read(reply) < 0) {
                        throw new IOException("echo closed early");
                    }
                }
            }
            double micros = (System.nanoTime() - start) / 1e3 / count;
            channel.shutdownOutput();
            while (channel.read(reply.clear()) >= 0) {
                // wait for the echo side to finish too
            }
            return micros;
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Serves one connection at a time. The first byte picks the mode: sink (read to the end, then answer
     * with the byte count) or echo.
     */
    private static final class Sink implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Thread thread;

        Sink() throws IOException {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            thread = new Thread(this::serve, "throughput-sink");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) server.getLocalAddress();
        }

        private void serve() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            while (server.isOpen()) {
                try (SocketChannel channel = server.accept()) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ByteBuffer mode = ByteBuffer.allocate(1);
                    if (channel.read(mode) != 1) {
                        continue;
                    }
                    if (mode.get(0) == MODE_ECHO) {
                        while (channel.read(buffer.clear()) >= 0) {
                            writeFully(channel, buffer.flip());
                        }
                        continue;
                    }
                    long total = 0;
                    int n;
                    while ((n = channel.read(buffer.clear())) >= 0) {
                        total += n;
                    }
                    writeFully(
                            channel,
                            ByteBuffer.allocate(Long.BYTES).putLong(total).flip());
                } catch (IOException e) {
                    if (server.isOpen()) {
                        System.err.println("sink: " + e);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
