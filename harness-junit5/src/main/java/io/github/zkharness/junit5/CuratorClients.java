package io.github.zkharness.junit5;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Curator, which is an optional dependency: this is the only class that names it, and it is loaded only when a
 * test asks for a {@code CuratorFramework} parameter, which it can only do with Curator on its class path.
 */
final class CuratorClients {

    static final String TYPE_NAME = "org.apache.curator.framework.CuratorFramework";

    private CuratorClients() {
    }

    /**
     * A started client, connected within {@code timeout}; {@code null} (and closed) if it did not connect.
     *
     * @return the client, typed as what the caller may touch without Curator
     */
    static Closeable connect(String connectString, Duration timeout) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .retryPolicy(new ExponentialBackoffRetry(100, 10))
            .build();
        client.start();
        if (!client.blockUntilConnected((int) timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            client.close();
            return null;
        }
        return client;
    }
}
