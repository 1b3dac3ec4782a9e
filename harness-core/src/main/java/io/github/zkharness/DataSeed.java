package io.github.zkharness;

import org.apiguardian.api.API;

/**
 * What every test should find in a shared ensemble: run once the ensemble first serves and again after every
 * {@link ZkEnsemble#reset()}, so that tests start from the same data without a reset deleting it under them.
 *
 * <pre>{@code
 * ZkEnsemble.builder().seed(zk -> {
 *     try (ZooKeeper client = zk.newZooKeeper()) {
 *         client.create("/config", "v1".getBytes(), OPEN_ACL_UNSAFE, PERSISTENT);
 *     }
 * }).start();
 * }</pre>
 */
@FunctionalInterface
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface DataSeed {

    /**
     * Writes the data; may throw anything, which fails the start or the reset with the seed's exception as
     * cause.
     */
    void seed(ZkEnsemble ensemble) throws Exception;
}
