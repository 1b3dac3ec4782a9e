package io.github.zkharness;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One server at one moment: what {@link ZkNode#status()} and {@link ZkEnsemble#status()} return and what every
 * timeout message prints.
 *
 * @param id         the server id (myid)
 * @param role       leader, follower, observer, looking or stopped
 * @param state      running, stopped or killed
 * @param serving    whether it accepts client requests now
 * @param voter      whether it is a participant (votes) rather than an observer
 * @param clientAddress where clients connect to it
 * @param dataDir    its data directory (snapshots, {@code myid})
 * @param lastZxid   the last transaction id it has applied, or the last known one when it is not running
 * @param epoch      its current epoch (the high 32 bits of new zxids), or the last known one
 */
public record NodeStatus(
    int id,
    Role role,
    NodeState state,
    boolean serving,
    boolean voter,
    InetSocketAddress clientAddress,
    Path dataDir,
    long lastZxid,
    long epoch) {

    /** A compact form for messages, e.g. {@code 2=FOLLOWER(serving, zxid 0x100000003)}. */
    @Override
    public String toString() {
        String detail = state != NodeState.RUNNING
            ? state.name()
            : (serving ? "serving" : "not serving");
        return id + "=" + role + "(" + detail + (voter ? "" : ", observer")
            + ", zxid 0x" + Long.toHexString(lastZxid) + ")";
    }
}
