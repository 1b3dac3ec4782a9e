package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * An ensemble or a node could not be started. Nothing of the failed start is left running. The message names
 * each node's state and the cause (a timeout, a port conflict, an exit request from ZooKeeper).
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public class ZkStartException extends ZkHarnessException {

    private static final long serialVersionUID = 1L;

    public ZkStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
