package io.github.zkharness.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What the death of one of ZooKeeper's threads means for its server, by the thread's name (as ZooKeeper 3.8 and
 * 3.9 name them). Read in ZooKeeper's sources: none of these threads is restarted while the peer runs.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ThreadRoles {

    /** Checked in order: the first prefix the name starts with wins. */
    private static final Map<String, String> BY_PREFIX = new LinkedHashMap<>();

    static {
        BY_PREFIX.put("WorkerSender", "this node can no longer send election votes");
        BY_PREFIX.put("WorkerReceiver", "this node can no longer read election votes");
        BY_PREFIX.put("SendWorker:", "election messages to that peer stay queued until the connection is replaced");
        BY_PREFIX.put("RecvWorker:", "election messages from that peer are no longer read");
        BY_PREFIX.put("QuorumPeerListener", "this node no longer accepts election connections");
        BY_PREFIX.put("ListenerHandler-", "this node no longer accepts election connections");
        BY_PREFIX.put("QuorumConnectionReceiverThread-", "one incoming election connection was dropped");
        BY_PREFIX.put("QuorumConnectionReqThread-", "one outgoing election connection attempt was dropped");
        BY_PREFIX.put("QuorumPeer", "the node's main loop is gone: it neither elects nor serves until restarted");
        BY_PREFIX.put("SyncThread:", "transactions are no longer logged: this node stops acknowledging proposals");
        BY_PREFIX.put("CommitProcessor:", "committed requests are no longer applied: its clients get no answers");
        BY_PREFIX.put("CommitProcWorkThread-", "committed requests are no longer applied: its clients get no answers");
        BY_PREFIX.put("ProcessThread(", "requests are no longer prepared: its clients get no answers");
        BY_PREFIX.put("RequestThrottler", "requests are no longer passed on: its clients get no answers");
        BY_PREFIX.put("FollowerRequestProcessor:", "this follower no longer forwards requests to the leader");
        BY_PREFIX.put("ObserverRequestProcessor:", "this observer no longer forwards requests to the leader");
        BY_PREFIX.put("LearnerSender:", "this learner no longer sends anything to its leader");
        BY_PREFIX.put("LearnerHandler-", "the leader no longer serves this learner's connection");
        BY_PREFIX.put("LearnerCnxAcceptor", "this leader accepts no new followers or observers");
        BY_PREFIX.put("LeaderConnector-", "one attempt to connect to the leader was lost");
        BY_PREFIX.put("NIOServerCxnFactory.AcceptThread", "this node accepts no new client connections");
        BY_PREFIX.put("NIOServerCxnFactory.SelectorThread", "the client connections of this selector are not served");
        BY_PREFIX.put("NIOWorkerThread-", "one client request worker is gone");
        BY_PREFIX.put(
                "ConnnectionExpirer", "idle client connections are no longer closed"); // sic, ZooKeeper's spelling
        BY_PREFIX.put("SessionTracker", "sessions no longer expire on this node");
        BY_PREFIX.put("Snapshot Thread", "this snapshot was not written");
        BY_PREFIX.put("Thread-", "an unnamed ZooKeeper helper thread (e.g. a multi-address reachability check) died");
    }

    private ThreadRoles() {}

    /** What the death of the thread named {@code threadName} means for its node. */
    public static String consequence(String threadName) {
        for (Map.Entry<String, String> e : BY_PREFIX.entrySet()) {
            if (threadName.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return "ZooKeeper does not expect this thread to die; what the node can still do is unknown";
    }
}
