package io.github.zkharness;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A thread of a node that died of an exception nobody caught. ZooKeeper itself only logs such deaths, and some
 * leave a node unable to do its job until it restarts (a dead {@code WorkerSender} never sends another election
 * vote). See {@link ZkNode#threadDeaths()}.
 *
 * @param nodeId      the server id of the node the thread belonged to
 * @param threadName  the thread's name, as ZooKeeper named it (e.g. {@code WorkerSender[myid=3]})
 * @param error       what it died of
 * @param topFrames   the top of the stack where it was thrown (at most {@value #FRAMES} frames)
 * @param time        when it died
 * @param consequence what a death of this thread means for the node, as far as the harness knows ZooKeeper
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ThreadFailure(
        int nodeId,
        String threadName,
        Throwable error,
        List<StackTraceElement> topFrames,
        Instant time,
        String consequence) {

    /** How many frames {@link #topFrames()} keeps. */
    public static final int FRAMES = 8;

    /** Checks and copies the components. */
    public ThreadFailure {
        Objects.requireNonNull(threadName, "threadName must not be null");
        Objects.requireNonNull(error, "error must not be null");
        topFrames = List.copyOf(topFrames);
        Objects.requireNonNull(time, "time must not be null");
        Objects.requireNonNull(consequence, "consequence must not be null");
    }

    /**
     * One line: {@code thread WorkerSender[myid=3] died of NullPointerException at QuorumCnxManager.connectOne;
     * this node can no longer send election votes}.
     */
    public String describe() {
        String where = topFrames.isEmpty()
                ? ""
                : " at " + simpleName(topFrames.get(0).getClassName()) + "."
                        + topFrames.get(0).getMethodName();
        return "thread " + threadName + " died of " + error.getClass().getSimpleName() + where + "; " + consequence;
    }

    /** {@code node 3: } followed by {@link #describe()}. */
    @Override
    public String toString() {
        return "node " + nodeId + ": " + describe();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }
}
