package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * A certificate a node of a TLS ensemble can be given to present to its peers ({@code ZkTls.replaceNodeCertificate}),
 * to see how the ensemble reacts to one bad node. With an {@link #EXPIRED} or {@link #UNTRUSTED} one its peers refuse
 * the TLS handshake, so once it restarts it cannot rejoin, while the others keep serving.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum ZkCertificate {
    /** Signed by the ensemble's quorum CA, for 127.0.0.1 and localhost, valid now (the default). */
    VALID,
    /** Signed by the ensemble's quorum CA, but its validity ended yesterday. */
    EXPIRED,
    /** Valid, for the right names, but signed by a CA that no peer trusts. */
    UNTRUSTED,
    /**
     * Signed by the quorum CA and valid, but issued for another host name ({@code wrong-host.invalid}) instead of
     * 127.0.0.1 and localhost. Whether the node can still rejoin depends on which side ZooKeeper's host-name checks
     * run on in the ZooKeeper version at hand (a peer that dials it checks the name; a leader may not check its
     * learners'); the others keep serving either way.
     */
    WRONG_HOST
}
