package io.github.zkharness.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apiguardian.api.API;

/**
 * The only address the harness binds or lists: 127.0.0.1, without a host name, so that ZooKeeper's
 * configuration shows the address itself and no resolver (or IPv6 preference) can turn it into another one.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Loopback {

    /** 127.0.0.1. */
    public static final InetAddress ADDRESS;

    static {
        try {
            ADDRESS = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Loopback() {}
}
