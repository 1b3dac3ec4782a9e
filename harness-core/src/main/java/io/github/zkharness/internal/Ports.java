package io.github.zkharness.internal;

import org.apiguardian.api.API;

/** Hands out the quorum and election ports that peers list in their shared view and bind themselves. */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface Ports {

    /** A loopback port that nothing in this JVM holds and that could be bound a moment ago. */
    int allocate();

    /** Gives a port back once its peer is gone for good. */
    void release(int port);

    /** Whether {@code port} can be bound on loopback now (as ZooKeeper binds it, with SO_REUSEADDR). */
    static boolean isFree(int port) {
        return LoopbackPorts.bindable(port);
    }

    /** The allocator every ensemble uses unless a test says otherwise. */
    static Ports loopback() {
        return LoopbackPorts.INSTANCE;
    }
}
