package io.github.zkharness.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Quorum and election ports must be known before a peer starts, because every peer's view lists them.
 * Binding port 0 and releasing it (what curator-test does) returns a port from the kernel's ephemeral range,
 * where any outgoing connection of any process may take it before ZooKeeper binds it. This allocator picks
 * ports <em>below</em> the ephemeral range instead, which the kernel never hands out on its own, never gives
 * the same port twice while a peer of this JVM holds it, and checks each by binding it. What is left (another
 * process binding that exact port in the gap) is detected by the ensemble and recovered by a retry.
 */
final class LoopbackPorts implements Ports {

    static final LoopbackPorts INSTANCE = new LoopbackPorts();

    private final int low;
    private final int high;
    private final Set<Integer> held = new HashSet<>();

    private LoopbackPorts() {
        int[] ephemeral = ephemeralRange();
        if (ephemeral[0] - 20_000 >= 2_000) {
            low = 20_000;
            high = ephemeral[0];
        } else if (65_535 - ephemeral[1] >= 2_000) {
            low = ephemeral[1] + 1;
            high = 65_536;
        } else {
            low = 10_000;
            high = 65_536;
        }
    }

    private static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32_768, 60_999}; // Linux's default
        }
    }

    @Override
    public synchronized int allocate() {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (!held.contains(port) && bindable(port)) {
                held.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + low + ".." + (high - 1) + " after 10000 tries");
    }

    @Override
    public synchronized void release(int port) {
        held.remove(port);
    }

    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as ZooKeeper does: a port in TIME_WAIT is fine
            socket.bind(new InetSocketAddress(Loopback.ADDRESS, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
