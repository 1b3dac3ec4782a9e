package io.github.zkharness.chaos;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.ZkHarnessException;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A chaos run went wrong on the harness's side: a step failed, the ensemble did not serve again after the heal, or
 * the run did not stop. The message names the seed and how to replay the run.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class ChaosException extends ZkHarnessException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message (which should name the seed and the replay).
     *
     * @param message the message
     * @param cause the cause, or null
     */
    public ChaosException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
