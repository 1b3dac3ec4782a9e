package io.github.zkharness.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks a static method of a test class with a {@link ZkCluster} (or a {@code ZkClusterExtension} field) that
 * writes data every test should find. It takes one {@link io.github.zkharness.ZkEnsemble} parameter and runs
 * once the ensemble first serves and again after every reset, so the reset between tests never takes the data
 * away (unlike data written in {@code @BeforeAll}, which the first reset deletes).
 *
 * <pre>{@code
 * @ZkCluster
 * class ConfigWatcherTests {
 *     @ZkSeed
 *     static void config(ZkEnsemble zk) throws Exception {
 *         try (ZooKeeper client = zk.newZooKeeper()) {
 *             client.create("/config", "v1".getBytes(), OPEN_ACL_UNSAFE, PERSISTENT);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Seed methods of superclasses run first. A seed method that is not static, or takes other parameters, is an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface ZkSeed {}
