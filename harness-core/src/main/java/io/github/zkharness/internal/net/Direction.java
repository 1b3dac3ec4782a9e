package io.github.zkharness.internal.net;

import org.apiguardian.api.API;

/** One of the two byte streams of a connection forwarded by a {@link Link}. */
@API(status = API.Status.INTERNAL, since = "0.1")
public enum Direction {
    /** Bytes from the side that dialed the link, towards the link's target. */
    FORWARD,
    /** Bytes from the target, back towards the side that dialed the link. */
    BACKWARD
}
