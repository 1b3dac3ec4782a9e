package org.apache.zookeeper.server;

import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * ZooKeeper's Netty client-port factory (the only one that does TLS), as the harness needs it:
 * <ul>
 *   <li>it binds at once ({@link #bindNow()}), as the NIO factory does in {@code configure}: every peer's view lists
 *       every client address before any peer starts, and a port 0 is only known once bound. ZooKeeper's later
 *       {@link #start()} then does nothing;</li>
 *   <li>its {@link #shutdown()} also ends the {@code DefaultEventExecutor} of ZooKeeper's channel group, which
 *       ZooKeeper never shuts down: one thread per factory, never ended (the shared notes, "what pins a loader",
 *       item 3).</li>
 * </ul>
 *
 * <p><b>Internal to zk-harness; do not use.</b> It lives in ZooKeeper's package because the factory's constructor is
 * package-private. {@code ZooKeeperContractTest} fails the day the field {@code allChannels} or its executor moves.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HarnessNettyServerCnxnFactory extends NettyServerCnxnFactory {

    private boolean bound;

    /** Reads ZooKeeper's client-port settings from system properties, as ZooKeeper's own constructor does. */
    public HarnessNettyServerCnxnFactory() {
        super();
    }

    /** Binds the configured address now. */
    public synchronized void bindNow() {
        super.start();
        bound = true;
    }

    /** Binds unless {@link #bindNow()} did. */
    @Override
    public synchronized void start() {
        if (!bound) {
            bindNow();
        }
    }

    @Override
    public void shutdown() {
        super.shutdown();
        channelGroupExecutor().shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    /** The executor of ZooKeeper's private channel group (exposed for the contract test). */
    public EventExecutor channelGroupExecutor() {
        try {
            Field channels = NettyServerCnxnFactory.class.getDeclaredField("allChannels");
            channels.setAccessible(true);
            Object group = channels.get(this);
            Field executor = group.getClass().getDeclaredField("executor");
            executor.setAccessible(true);
            return (EventExecutor) executor.get(group);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "zk-harness could not reach the event executor of ZooKeeper's"
                            + " NettyServerCnxnFactory (field allChannels, then executor): " + e,
                    e);
        }
    }
}
