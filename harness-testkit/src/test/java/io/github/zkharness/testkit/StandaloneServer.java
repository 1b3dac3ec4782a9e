package io.github.zkharness.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * One real standalone ZooKeeper server on a loopback port, for the kit's own tests (the kit cannot use
 * zk-harness: harness-core's tests depend on the kit).
 */
final class StandaloneServer implements AutoCloseable {

    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;

    StandaloneServer(Path dir) throws IOException, InterruptedException {
        File data = dir.resolve("data").toFile();
        server = new ZooKeeperServer(data, data, 200);
        connections = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 60);
        connections.startup(server);
    }

    String connectString() {
        return "127.0.0.1:" + connections.getLocalPort();
    }

    @Override
    public void close() {
        connections.shutdown();
        server.shutdown();
    }
}
