package io.github.zkharness.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This JVM's listening TCP sockets, read from the kernel: {@code /proc/net/tcp} and {@code /proc/net/tcp6} list
 * every socket of the network namespace with its state and inode; only those whose inode is one of this
 * process's open file descriptors ({@code /proc/self/fd/N -> socket:[inode]}) count.
 */
public final class ProcNet {

    private static final String LISTEN = "0A";
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    /** One listening socket of this process. */
    public record Listener(String table, InetAddress address, int port, long inode) {
        /** Whether it listens on a loopback address only. */
        public boolean loopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port + " (" + table + ", inode " + inode + ")";
        }
    }

    private ProcNet() {}

    /** Whether this machine has the files this class reads. */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** The inodes of every socket this process holds open. */
    public static Set<Long> ownSocketInodes() {
        Set<Long> inodes = new HashSet<>();
        for (String target : JvmResources.fileDescriptors().values()) {
            Matcher m = SOCKET_LINK.matcher(target);
            if (m.matches()) {
                inodes.add(Long.parseLong(m.group(1)));
            }
        }
        return inodes;
    }

    /** Every socket of this process in state LISTEN, IPv4 and IPv6 tables both. */
    public static List<Listener> ownListeners() {
        Set<Long> own = ownSocketInodes();
        List<Listener> result = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (Listener l : listeners(table)) {
                if (own.contains(l.inode())) {
                    result.add(l);
                }
            }
        }
        return result;
    }

    /** Every LISTEN entry of {@code /proc/net/<table>}, whoever owns it. */
    public static List<Listener> listeners(String table) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/net", table));
        } catch (NoSuchFileException e) {
            return List.of(); // no IPv6 on this machine
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Listener> result = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[3].equals(LISTEN)) {
                continue;
            }
            String[] local = f[1].split(":");
            result.add(new Listener(table, address(local[0]), Integer.parseInt(local[1], 16), Long.parseLong(f[9])));
        }
        return result;
    }

    /**
     * What the kernel says about the sockets with these inodes: {@code tcp 127.0.0.1:1234 -> 127.0.0.1:5678
     * state 06}, or {@code unix} / {@code unknown}, for messages about leaked descriptors.
     */
    public static List<String> describeSockets(Set<Long> inodes) {
        List<String> result = new ArrayList<>();
        Set<Long> left = new HashSet<>(inodes);
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc/net", table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !left.remove(Long.parseLong(f[9]))) {
                    continue;
                }
                String[] local = f[1].split(":");
                String[] remote = f[2].split(":");
                result.add(table + " " + address(local[0]).getHostAddress() + ":" + Integer.parseInt(local[1], 16)
                        + " -> " + address(remote[0]).getHostAddress() + ":" + Integer.parseInt(remote[1], 16)
                        + " state " + f[3] + " inode " + f[9]);
            }
        }
        left.forEach(i -> result.add("not tcp/udp (unix or closed) inode " + i));
        return result;
    }

    /**
     * The kernel prints an address as 32-bit words in host byte order: {@code 0100007F} is 127.0.0.1 on a
     * little-endian machine. IPv4-mapped IPv6 addresses come back as {@code Inet4Address}.
     */
    public static InetAddress address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int src = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 3 - i : i;
                int at = (word * 4 + src) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address " + hex, e);
        }
    }
}
