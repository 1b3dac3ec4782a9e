package io.github.zkharness;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What the ensemble did wrong, as opposed to what the caller asked wrong: every failure of a start, a wait, a
 * reset, a reconfiguration or an inspection is one of these or a subtype ({@link ZkStartException},
 * {@link ZkTimeoutException}, {@link ZkInterruptedException}, {@link ZkExitRequestedException}). A caller's
 * mistake (a bad value, a node that is not running, a closed ensemble) is an {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead. Unchecked: tests should not have to declare it.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public class ZkHarnessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, which names the nodes' state where it matters. */
    public ZkHarnessException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public ZkHarnessException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
