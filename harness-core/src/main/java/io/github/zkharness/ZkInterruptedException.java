package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * The thread that waited on the harness was interrupted (for example by JUnit's {@code @Timeout}). Thrown at
 * once, with the thread's interrupt flag still set, so that the interrupt also reaches whatever runs next.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public class ZkInterruptedException extends ZkHarnessException {

    private static final long serialVersionUID = 1L;

    /** An interrupted wait; {@code message} says what was awaited and every node's state. */
    public ZkInterruptedException(String message) {
        super(message);
    }

    /** An interrupted operation, with the {@link InterruptedException} that ended it. */
    public ZkInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
