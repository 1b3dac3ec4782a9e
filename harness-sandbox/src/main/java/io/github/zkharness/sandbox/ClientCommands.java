package io.github.zkharness.sandbox;

import io.github.zkharness.ZkNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.PathUtils;

/**
 * A small ZooKeeper client of the sandbox's own, so that a person sees what a fault does to reads and writes
 * without a second tool: {@code create}, {@code set}, {@code get}, {@code ls}, {@code delete}, {@code sync},
 * through the whole ensemble or, written {@code @2 get /x}, through node 2 alone. Each prints one line: the
 * result, or ZooKeeper's error ({@code ConnectionLoss}, {@code NoNode}, ...), or a timeout after
 * {@value #TIMEOUT_SECONDS} s. Calls are asynchronous underneath, so a client that cannot reach a server never
 * blocks the prompt longer than that.
 */
final class ClientCommands {

    static final int TIMEOUT_SECONDS = 5;
    private static final int SESSION_TIMEOUT_MS = 30_000;

    /** The clients, made on first use: key 0 is the whole ensemble's, N is node N's alone. */
    private final Map<Integer, ZooKeeper> clients = new HashMap<>();

    static Commands addTo(Commands commands, ClientCommands clients) {
        return commands.add(Command.of(
                        "create",
                        "[@N] create PATH [DATA]",
                        "create a persistent znode (through node N alone with @N, e.g. @2 create /x hello)",
                        (s, a) -> clients.create(s, a)))
                .add(Command.of("set", "[@N] set PATH DATA", "set a znode's data", (s, a) -> clients.set(s, a)))
                .add(Command.of(
                        "get",
                        "[@N] get PATH",
                        "print a znode's data, version and last zxid",
                        (s, a) -> clients.get(s, a)))
                .add(Command.of("ls", "[@N] ls PATH", "list a znode's children", (s, a) -> clients.ls(s, a)))
                .add(Command.of("delete", "[@N] delete PATH", "delete a znode", (s, a) -> clients.delete(s, a)))
                .add(Command.of(
                        "sync",
                        "[@N] sync PATH",
                        "make the server catch up with the leader before the next read (ZooKeeper's sync)",
                        (s, a) -> clients.sync(s, a)));
    }

    private void create(Session session, List<String> args) {
        String path = path("create", args, 1, 2, "create PATH [DATA]");
        byte[] data = args.size() > 1 ? bytes(args.get(1)) : new byte[0];
        String created = call(
                session,
                path,
                (zk, done) -> zk.create(
                        path,
                        data,
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT,
                        (rc, p, ctx, name) -> done.complete(rc, name),
                        null));
        if (created != null) {
            session.println("created " + created);
        }
    }

    private void set(Session session, List<String> args) {
        String path = path("set", args, 2, 2, "set PATH DATA");
        byte[] data = bytes(args.get(1));
        String version = call(
                session,
                path,
                (zk, done) -> zk.setData(
                        path,
                        data,
                        -1,
                        (rc, p, ctx, stat) ->
                                done.complete(rc, stat == null ? null : String.valueOf(stat.getVersion())),
                        null));
        if (version != null) {
            session.println("set " + path + " (version " + version + ")");
        }
    }

    private void get(Session session, List<String> args) {
        String path = path("get", args, 1, 1, "get PATH");
        String text = call(
                session,
                path,
                (zk, done) -> zk.getData(
                        path,
                        false,
                        (rc, p, ctx, data, stat) -> done.complete(
                                rc,
                                stat == null
                                        ? null
                                        : p + " = \"" + (data == null ? "" : new String(data, StandardCharsets.UTF_8))
                                                + "\" (version " + stat.getVersion() + ", zxid 0x"
                                                + Long.toHexString(stat.getMzxid()) + ")"),
                        null));
        if (text != null) {
            session.println(text);
        }
    }

    private void ls(Session session, List<String> args) {
        String path = path("ls", args, 1, 1, "ls PATH");
        String text = call(
                session,
                path,
                (zk, done) -> zk.getChildren(
                        path,
                        false,
                        (rc, p, ctx, children) -> done.complete(
                                rc,
                                children == null
                                        ? null
                                        : p + ": " + children.stream().sorted().toList()),
                        null));
        if (text != null) {
            session.println(text);
        }
    }

    private void delete(Session session, List<String> args) {
        String path = path("delete", args, 1, 1, "delete PATH");
        String done = call(session, path, (zk, d) -> zk.delete(path, -1, (rc, p, ctx) -> d.complete(rc, p), null));
        if (done != null) {
            session.println("deleted " + path);
        }
    }

    private void sync(Session session, List<String> args) {
        String path = path("sync", args, 1, 1, "sync PATH");
        String done = call(session, path, (zk, d) -> zk.sync(path, (rc, p, ctx) -> d.complete(rc, p), null));
        if (done != null) {
            session.println("synced " + path);
        }
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    /** One asynchronous call: it completes {@code done} with ZooKeeper's result code and a value. */
    private interface Call {
        void start(ZooKeeper zk, Result done);
    }

    /** Where a callback delivers. */
    private static final class Result {
        private final CompletableFuture<String> future = new CompletableFuture<>();
        private volatile int rc;

        void complete(int code, String value) {
            rc = code;
            future.complete(value);
        }
    }

    /** Runs {@code call} on the client the session targets; prints the error and returns null when it failed. */
    private String call(Session session, String path, Call call) {
        ZkNode pinned = session.pinnedNode();
        ZooKeeper zk = client(session, pinned);
        Result result = new Result();
        call.start(zk, result);
        String via = pinned == null ? "" : " (through node " + pinned.id() + ")";
        try {
            String value = result.future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            KeeperException.Code code = KeeperException.Code.get(result.rc);
            if (code != KeeperException.Code.OK) {
                throw new CommandException(errorName(code) + " for " + path + via);
            }
            return value;
        } catch (TimeoutException e) {
            throw new CommandException("no answer for " + path + via + " within " + TIMEOUT_SECONDS
                    + " s (the client is still trying: " + zk.getState() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while waiting for " + path);
        } catch (ExecutionException e) {
            throw new CommandException(String.valueOf(e.getCause()));
        }
    }

    /** ZooKeeper's names as zkCli prints them: NoNode, ConnectionLoss, ... */
    private static String errorName(KeeperException.Code code) {
        String name = KeeperException.create(code).getClass().getSimpleName();
        return name.endsWith("Exception") ? name.substring(0, name.length() - "Exception".length()) : name;
    }

    /** For a TLS ensemble ({@code --tls}): its client configuration; null: ZooKeeper's default. */
    private volatile ZKClientConfig clientConfig;

    /** Makes the sandbox's clients connect with {@code config} (a TLS ensemble's). */
    void useClientConfig(ZKClientConfig config) {
        this.clientConfig = config;
    }

    private ZooKeeper client(Session session, ZkNode pinned) {
        int key = pinned == null ? 0 : pinned.id();
        ZooKeeper zk = clients.get(key);
        if (zk == null) {
            String connectString = pinned == null ? session.ensemble().connectString() : pinned.connectString();
            try {
                zk = new ZooKeeper(connectString, SESSION_TIMEOUT_MS, event -> {}, clientConfig);
            } catch (IOException e) {
                throw new CommandException("could not create a client of " + connectString + ": " + e.getMessage());
            }
            clients.put(key, zk);
        }
        return zk;
    }

    /** Closes every client the commands opened, without waiting for ZooKeeper's close to finish. */
    void close() {
        for (ZooKeeper zk : clients.values()) {
            Thread closer = new Thread(
                    () -> {
                        try {
                            zk.close(1_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "zk-sandbox-client-close");
            closer.setDaemon(true);
            closer.start();
        }
        clients.clear();
    }

    private static String path(String command, List<String> args, int min, int max, String synopsis) {
        if (args.size() < min || args.size() > max) {
            throw new CommandException(command + " is written " + synopsis + ", got \"" + command
                    + (args.isEmpty() ? "" : " " + String.join(" ", args)) + "\"");
        }
        String path = args.get(0);
        try {
            PathUtils.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw new CommandException("\"" + path + "\" is not a znode path: " + e.getMessage());
        }
        return path;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
