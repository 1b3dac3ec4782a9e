package io.github.zkharness.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ConnectStringParser;
import org.apache.zookeeper.client.HostProvider;
import org.apache.zookeeper.client.StaticHostProvider;

/**
 * The client code both sides run, byte for byte: a plain ZooKeeper client, writes retried on connection loss,
 * four-letter words on a plain socket, and the body of one "test" of the suite scenario. Neither zk-harness's
 * nor Curator's API appears here.
 */
final class Clients {

    static final int SESSION_TIMEOUT_MS = 10_000;
    private static final long WRITE_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final byte[] EMPTY = new byte[0];

    private Clients() {}

    /**
     * A ZooKeeper client that connects in the background; {@code events} records its connection events and each
     * server it picks to connect to. The host provider is ZooKeeper's default one ({@link StaticHostProvider} on the
     * parsed connect string, as {@code new ZooKeeper(connectString, ...)} makes it), wrapped only to record.
     */
    static ZooKeeper open(String connectString, Events events) {
        try {
            HostProvider hosts = new StaticHostProvider(new ConnectStringParser(connectString).getServerAddresses());
            return new ZooKeeper(connectString, SESSION_TIMEOUT_MS, events, false, events.recording(hosts));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a client for " + connectString, e);
        }
    }

    static ZooKeeper open(String connectString) {
        return open(connectString, new Events());
    }

    /**
     * Creates {@code path}, retrying while the client has no server that serves (connection loss, operation
     * timeout). A {@code NodeExists} after such a retry means an earlier attempt went through; on the first
     * attempt it means the znode was there before, and fails.
     */
    static void create(ZooKeeper client, String path, byte[] data) throws InterruptedException {
        long deadline = System.nanoTime() + WRITE_DEADLINE_NANOS;
        boolean retried = false;
        while (true) {
            try {
                client.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                return;
            } catch (KeeperException.NodeExistsException e) {
                if (retried) {
                    return;
                }
                throw new IllegalStateException(
                        path + " existed before the test wrote it: the ensemble is not clean", e);
            } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no write of " + path + " accepted within 60 s", e);
                }
                retried = true;
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (KeeperException e) {
                throw new IllegalStateException("write of " + path + " failed: " + e.getMessage(), e);
            }
        }
    }

    static void create(ZooKeeper client, String path) throws InterruptedException {
        create(client, path, EMPTY);
    }

    /** Reads {@code path}, retrying on connection loss like {@link #create}. */
    static byte[] read(ZooKeeper client, String path) throws InterruptedException {
        long deadline = System.nanoTime() + WRITE_DEADLINE_NANOS;
        while (true) {
            try {
                return client.getData(path, false, null);
            } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no read of " + path + " answered within 60 s", e);
                }
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (KeeperException e) {
                throw new IllegalStateException("read of " + path + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * One test of the 50-test class: connect a client, write 3 znodes, read them back, close the client. It needs a
     * clean ensemble: a znode left by an earlier test fails it. Returns the nanoseconds {@code close()} took (ZooKeeper's
     * NIO client sleeps 100 ms in it).
     */
    static long suiteTest(String connectString, int test) throws InterruptedException {
        ZooKeeper client = open(connectString);
        long closeStart = 0;
        try {
            for (String name : List.of("a", "b", "c")) {
                create(client, "/" + name, value(test, name));
            }
            for (String name : List.of("a", "b", "c")) {
                byte[] read = read(client, "/" + name);
                if (!Arrays.equals(read, value(test, name))) {
                    throw new IllegalStateException("test " + test + " read back "
                            + new String(read, StandardCharsets.UTF_8) + " from /" + name);
                }
            }
        } finally {
            closeStart = System.nanoTime();
            client.close();
        }
        return System.nanoTime() - closeStart;
    }

    private static byte[] value(int test, String name) {
        return ("test-" + test + "-" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** A four-letter word on a plain socket; empty when the server does not answer. */
    static String fourLetterWord(String host, int port, String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code leader}, {@code follower}, ... from {@code srvr}; null while the server does not serve. */
    static String mode(String host, int port) {
        for (String line : fourLetterWord(host, port, "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring("Mode: ".length()).trim();
            }
        }
        return null;
    }

    /** Polls {@code srvr} every 2 ms until the server reports {@code wanted}. */
    static void awaitMode(String host, int port, String wanted, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!wanted.equals(mode(host, port))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(host + ":" + port + " did not report Mode: " + wanted + " within "
                        + timeoutMillis + " ms; srvr says: "
                        + fourLetterWord(host, port, "srvr").trim());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** A client's connection events and connection attempts with their times, for the phase profile. */
    static final class Events implements Watcher {
        private static final int ATTEMPT = -1;
        private final List<long[]> events = new ArrayList<>(); // {nanoTime, state ordinal or ATTEMPT}

        HostProvider recording(HostProvider hosts) {
            return new HostProvider() {
                @Override
                public int size() {
                    return hosts.size();
                }

                @Override
                public InetSocketAddress next(long spinDelay) {
                    synchronized (Events.this) {
                        events.add(new long[] {System.nanoTime(), ATTEMPT});
                    }
                    return hosts.next(spinDelay);
                }

                @Override
                public void onConnected() {
                    hosts.onConnected();
                }

                @Override
                public boolean updateServerList(Collection<InetSocketAddress> servers, InetSocketAddress current) {
                    return hosts.updateServerList(servers, current);
                }
            };
        }

        /** When the client last picked a server to connect to, at or before {@code until}; -1 if never. */
        synchronized long lastAttempt(long until) {
            long last = -1;
            for (long[] e : events) {
                if (e[0] <= until && e[1] == ATTEMPT) {
                    last = e[0];
                }
            }
            return last;
        }

        /** How many times the client picked a server to connect to at or after {@code since}. */
        synchronized long attempts(long since) {
            return events.stream().filter(e -> e[0] >= since && e[1] == ATTEMPT).count();
        }

        @Override
        public synchronized void process(WatchedEvent event) {
            if (event.getType() == Event.EventType.None) {
                events.add(new long[] {System.nanoTime(), event.getState().ordinal()});
            }
        }

        /** The first time at or after {@code since} that the client reached {@code state}; -1 if never. */
        synchronized long first(Event.KeeperState state, long since) {
            for (long[] e : events) {
                if (e[0] >= since && e[1] == state.ordinal()) {
                    return e[0];
                }
            }
            return -1;
        }
    }
}
