package io.github.zkharness.internal.server;

import io.github.zkharness.internal.PeerBridge;
import io.github.zkharness.internal.ServerSide;
import java.util.function.IntConsumer;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.jmx.MBeanRegistry;
import org.apache.zookeeper.jmx.ZKMBeanInfo;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.command.FourLetterCommands;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.util.ServiceUtils;
import org.apiguardian.api.API;

/**
 * The statics of one loaded copy of ZooKeeper's server classes, on ZooKeeper's side of {@link ServerSide}: the
 * shared runtime has one copy (the application's), the isolated runtime one per class loader, and each copy needs
 * the same treatment ({@code JvmGlobals} lists it): no JMX registry, exit requests routed to the harness, a small
 * transaction log preallocation.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ServerStatics implements ServerSide {

    /** The statics of the loader this class was loaded in. */
    public ServerStatics() {}

    @Override
    public void install(IntConsumer exit) {
        if (System.getProperty("zookeeper.preAllocSize") == null) {
            FileTxnLog.setPreallocSize(1024 * 1024);
        }
        MBeanRegistry.setInstance(new NoJmxRegistry());
        ServiceUtils.setSystemExitProcedure(exit::accept);
    }

    @Override
    public void reloadFourLetterWords() {
        FourLetterCommands.resetWhiteList();
    }

    @Override
    public void updateAuthProvider(String property) {
        ProviderRegistry.addOrUpdateProvider(property);
    }

    @Override
    public void removeAuthProvider(String scheme) {
        ProviderRegistry.removeProvider(scheme);
    }

    @Override
    public PeerBridge newPeer() {
        return new ServerPeer();
    }

    @Override
    public String version() {
        return zooKeeperVersion();
    }

    /**
     * The version ZooKeeper reports for itself, e.g. {@code 3.9.5} (a qualifier such as {@code -SNAPSHOT} kept), or
     * {@code unknown}.
     */
    static String zooKeeperVersion() {
        String full = Version.getFullVersion();
        if (full == null || full.isBlank()) {
            return "unknown";
        }
        String version = full.split(",", 2)[0].trim();
        String hash = Version.getRevisionHash();
        if (hash != null && !hash.isBlank() && version.endsWith("-" + hash)) {
            version = version.substring(0, version.length() - hash.length() - 1);
        }
        return version;
    }

    /** Registers nothing: bean names hold only the server id, and registered beans keep stopped peers reachable. */
    private static final class NoJmxRegistry extends MBeanRegistry {
        @Override
        public void register(ZKMBeanInfo bean, ZKMBeanInfo parent) {}

        @Override
        public void unregister(ZKMBeanInfo bean) {}
    }
}
