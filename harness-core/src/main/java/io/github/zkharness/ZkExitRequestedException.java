package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * ZooKeeper asked the JVM to exit (it does so, for example, when it cannot bind a port). zk-harness never lets
 * it exit; it reports the request with this exception instead, from the next wait or from
 * {@link ZkEnsemble#close()}, so that the test fails where a real server would have died.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public class ZkExitRequestedException extends ZkHarnessException {

    private static final long serialVersionUID = 1L;

    public ZkExitRequestedException(String message, Throwable cause) {
        super(message, cause);
    }
}
