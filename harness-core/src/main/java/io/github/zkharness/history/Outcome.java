package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** How an operation ended, in Jepsen's three-valued sense. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Outcome {
    /** It happened: the system acknowledged it (a read carries the value it returned). */
    OK,
    /** It definitely did not happen and never will (for example a version mismatch, or a read that failed). */
    FAIL,
    /**
     * It may or may not have happened: it may take effect at any time after its invocation, and never completes
     * (for example a write whose connection was lost after it was sent). An operation never completed by the time a
     * snapshot is taken is also UNKNOWN.
     */
    UNKNOWN
}
