package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** What a checker concluded. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Verdict {
    /** The history satisfies the property. */
    VALID,
    /** The history violates the property; the result carries a counterexample. */
    INVALID,
    /** The checker could not decide within its budget (time or steps); never a hang. */
    UNKNOWN;

    /**
     * The worse of two verdicts: INVALID over UNKNOWN over VALID.
     *
     * @param other the other verdict
     * @return the worse one
     */
    public Verdict and(Verdict other) {
        if (this == INVALID || other == INVALID) {
            return INVALID;
        }
        if (this == UNKNOWN || other == UNKNOWN) {
            return UNKNOWN;
        }
        return VALID;
    }
}
