package io.github.zkharness.check;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.zkharness.history.History;
import org.apiguardian.api.API;

/** Reads a history and says whether it satisfies one property. Implementations never hang: they return UNKNOWN. */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface Checker {

    /**
     * Checks a snapshot of {@code history} (taken now; recording may go on).
     *
     * @param history the history
     * @return the verdict with its explanation and counterexample
     */
    CheckResult check(History history);
}
