package io.github.zkharness.internal;

import java.util.OptionalInt;
import java.util.SortedSet;
import org.apiguardian.api.API;

/** What the network implementation needs to know of its ensemble. */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface EnsembleAccess {

    /** The ensemble's name, for messages. */
    String name();

    /** The ids of every node, running or not. */
    SortedSet<Integer> nodeIds();

    /** The node that leads now. */
    OptionalInt leaderId();

    /** The bridge to the running server of node {@code id}, or null. */
    PeerBridge server(int id);

    /** Throws if the ensemble is closed. */
    void requireOpen();

    /** Throws if the ensemble is closed or has never been started. */
    void requireStarted();

    /** The links, or null when the ensemble runs without them. */
    PeerLinks links();

    /** Where the ensemble's faults are recorded. */
    FaultRecorder faultRecorder();
}
