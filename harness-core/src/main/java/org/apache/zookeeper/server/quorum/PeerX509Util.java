package org.apache.zookeeper.server.quorum;

import java.io.File;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.zookeeper.common.QuorumX509Util;
import org.apache.zookeeper.common.SSLContextAndOptions;
import org.apache.zookeeper.common.X509Exception;
import org.apache.zookeeper.common.ZKConfig;
import org.apiguardian.api.API;

/**
 * The quorum TLS settings of one peer: ZooKeeper's {@link QuorumX509Util} reads {@code zookeeper.ssl.quorum.*} from
 * system properties, the same for every peer of the JVM; this one reads them from the harness, per peer, so that each
 * peer has an identity of its own (and a test can give one an expired or untrusted certificate).
 *
 * <p><b>Internal to zk-harness; do not use.</b> {@link HarnessQuorumPeer} returns it from ZooKeeper's
 * package-private {@code QuorumPeer.createX509Util()} hook, which runs inside {@code QuorumPeer}'s constructor: the
 * settings are looked up lazily, at the first TLS socket. The SSL context is rebuilt when the peer's key store or
 * trust store file changes ({@link #reloadIfChanged()}), which is how a certificate rotation reaches a running
 * peer.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PeerX509Util extends QuorumX509Util {

    private final Supplier<Map<String, String>> settings;
    private volatile SSLContextAndOptions context;
    private volatile String stamp;

    PeerX509Util(Supplier<Map<String, String>> settings) {
        this.settings = settings;
    }

    @Override
    public SSLContextAndOptions getDefaultSSLContextAndOptions() throws X509Exception.SSLContextException {
        reloadIfChanged();
        return context;
    }

    /** Builds the SSL context again when the key or trust store changed on disk since it was built. */
    private synchronized void reloadIfChanged() throws X509Exception.SSLContextException {
        Map<String, String> properties = settings.get();
        String now = stampOf(properties);
        if (context == null || !now.equals(stamp)) {
            ZKConfig config = new ZKConfig();
            properties.forEach(config::setProperty);
            context = createSSLContextAndOptions(config);
            stamp = now;
        }
    }

    private String stampOf(Map<String, String> properties) {
        StringBuilder b = new StringBuilder();
        for (String key : new String[] {getSslKeystoreLocationProperty(), getSslTruststoreLocationProperty()}) {
            String location = properties.get(key);
            if (location != null) {
                File file = new File(location);
                b.append(location)
                        .append('@')
                        .append(file.lastModified())
                        .append('/')
                        .append(file.length())
                        .append(';');
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        context = null;
        super.close();
    }
}
