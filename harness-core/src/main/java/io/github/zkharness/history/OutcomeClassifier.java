package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Decides what an exception thrown by a client call means for the operation: {@link Outcome#FAIL} (it definitely did
 * not happen) or {@link Outcome#UNKNOWN} (it may have happened). Used by
 * {@link History#record(int, OpKind, String, String, java.util.concurrent.Callable, OutcomeClassifier)}; ZooKeeper's
 * table is {@link ZkOutcomes#classifier()}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface OutcomeClassifier {

    /**
     * What {@code error}, thrown by an operation of {@code kind}, means.
     *
     * @param kind the operation's kind
     * @param error what the call threw
     * @return {@link Outcome#FAIL} or {@link Outcome#UNKNOWN} (never OK)
     */
    Outcome classify(OpKind kind, Throwable error);

    /**
     * The safe default for calls of any system: reads ({@link OpKind#isRead()}) FAIL, everything else is UNKNOWN.
     *
     * @return the classifier
     */
    static OutcomeClassifier conservative() {
        return (kind, error) -> kind.isRead() ? Outcome.FAIL : Outcome.UNKNOWN;
    }
}
