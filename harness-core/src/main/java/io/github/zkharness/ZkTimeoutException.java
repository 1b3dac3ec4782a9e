package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * Something the harness waited for never became true within its timeout. The message says what, for how
 * long, and the state of every node at that moment.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public class ZkTimeoutException extends ZkHarnessException {

    private static final long serialVersionUID = 1L;

    public ZkTimeoutException(String message) {
        super(message);
    }
}
