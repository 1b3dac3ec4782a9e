package io.github.zkharness.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apache.zookeeper.KeeperException;
import org.apiguardian.api.API;

/**
 * What a ZooKeeper client exception means for the operation that threw it.
 *
 * <p>A read has no effect, so a read that threw is always {@link Outcome#FAIL}. For an operation that changes state
 * (write, CAS, create, delete, any user kind) the table is:
 *
 * <table>
 * <caption>ZooKeeper exceptions on an operation that changes state</caption>
 * <tr><th>thrown</th><th>outcome</th><th>why</th></tr>
 * <tr><td>{@code NodeExists}, {@code NoNode}, {@code BadVersion}, {@code NotEmpty},
 *     {@code NoChildrenForEphemerals}, {@code EphemeralOnLocalSession}</td><td>FAIL</td>
 *     <td>the leader checked the request against the tree and turned it into an error instead of a change</td></tr>
 * <tr><td>{@code NoAuth}, {@code InvalidACL}, {@code BadArguments}, {@code QuotaExceeded}</td><td>FAIL</td>
 *     <td>rejected before it could change anything</td></tr>
 * <tr><td>{@code NotReadOnly}, {@code Throttled}, {@code Unimplemented}, {@code ReconfigDisabled}</td><td>FAIL</td>
 *     <td>the server refused the request without proposing it</td></tr>
 * <tr><td>{@code ConnectionLoss}, {@code OperationTimeout}, {@code RequestTimeout}</td><td>UNKNOWN</td>
 *     <td>the request may have reached the leader and been committed before the connection or the wait broke</td></tr>
 * <tr><td>{@code SessionExpired}</td><td>UNKNOWN</td>
 *     <td>the client fails every pending request with it when it learns of the expiry (usually on reconnecting),
 *     but a request sent before the expiry may have been committed by then: expiry is itself a transaction
 *     ordered after it</td></tr>
 * <tr><td>{@code SessionMoved}, {@code AuthFailed}, any other {@code KeeperException}</td><td>UNKNOWN</td>
 *     <td>not known to be definite: counted as possibly applied, which never makes a checker flag a correct
 *     system</td></tr>
 * <tr><td>{@link InterruptedException}</td><td>UNKNOWN</td>
 *     <td>the calling thread stopped waiting; the request was already queued and may be sent and applied
 *     (callers restore the interrupt flag)</td></tr>
 * <tr><td>{@link IllegalArgumentException}</td><td>FAIL</td>
 *     <td>the client validates paths before sending anything</td></tr>
 * <tr><td>anything else</td><td>UNKNOWN</td><td>conservative</td></tr>
 * </table>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ZkOutcomes {

    private ZkOutcomes() {}

    /**
     * ZooKeeper's table above as a classifier.
     *
     * @return the classifier
     */
    public static OutcomeClassifier classifier() {
        return ZkOutcomes::classify;
    }

    /**
     * What {@code error}, thrown by a ZooKeeper call for an operation of {@code kind}, means (see the table above).
     *
     * @param kind the operation's kind
     * @param error what the call threw
     * @return {@link Outcome#FAIL} or {@link Outcome#UNKNOWN}
     */
    public static Outcome classify(OpKind kind, Throwable error) {
        if (kind.isRead()) {
            return Outcome.FAIL;
        }
        if (error instanceof IllegalArgumentException) {
            return Outcome.FAIL;
        }
        if (error instanceof KeeperException ke) {
            return definite(ke.code()) ? Outcome.FAIL : Outcome.UNKNOWN;
        }
        return Outcome.UNKNOWN;
    }

    /**
     * Whether a ZooKeeper error code means the request definitely changed nothing.
     *
     * @param code the code
     * @return true for the FAIL rows of the table
     */
    public static boolean definite(KeeperException.Code code) {
        switch (code) {
            case NODEEXISTS:
            case NONODE:
            case BADVERSION:
            case NOTEMPTY:
            case NOCHILDRENFOREPHEMERALS:
            case EPHEMERALONLOCALSESSION:
            case NOAUTH:
            case INVALIDACL:
            case BADARGUMENTS:
            case QUOTAEXCEEDED:
            case NOTREADONLY:
            case THROTTLEDOP:
            case UNIMPLEMENTED:
            case RECONFIGDISABLED:
                return true;
            default:
                return false;
        }
    }
}
