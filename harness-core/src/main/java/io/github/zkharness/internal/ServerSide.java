package io.github.zkharness.internal;

import java.util.function.IntConsumer;
import org.apiguardian.api.API;

/**
 * What the harness does once per class loader of ZooKeeper's server classes: the statics ZooKeeper keeps per
 * loaded copy of its classes. Implemented by {@code io.github.zkharness.internal.server.ServerStatics}; the shared
 * runtime has one (the application's loader), the isolated runtime one per loader.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface ServerSide {

    /**
     * Replaces ZooKeeper's JMX registry by one that registers nothing and routes its requests to exit the JVM to
     * {@code exit}; sets the transaction log's preallocation to 1 MiB unless {@code zookeeper.preAllocSize} is set.
     */
    void install(IntConsumer exit);

    /** Makes ZooKeeper read its four-letter-word whitelist from the system property again. */
    void reloadFourLetterWords();

    /**
     * Makes this loader's ZooKeeper ({@code ProviderRegistry}) load the authentication provider that the system
     * property {@code property} names, again: it reads them only once, the first time it is used.
     */
    void updateAuthProvider(String property);

    /** Makes this loader's ZooKeeper forget the authentication provider of {@code scheme}. */
    void removeAuthProvider(String scheme);

    /** A new, unbound server of this loader. */
    PeerBridge newPeer();

    /** The ZooKeeper version of this loader's classes. */
    String version();
}
