package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * A thread of ZooKeeper's died of an uncaught exception in an ensemble built with
 * {@code failOnThreadDeath(true)}: the message names the node, the thread, the error and what the death means
 * for the node, then every node's state; the cause is the thread's error.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class ZkThreadDeathException extends ZkHarnessException {

    private static final long serialVersionUID = 1L;

    /** A death described by {@code message}, caused by {@code cause}. */
    public ZkThreadDeathException(String message, Throwable cause) {
        super(message, cause);
    }
}
