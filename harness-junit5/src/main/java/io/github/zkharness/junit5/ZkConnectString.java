package io.github.zkharness.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects the ensemble's client connect string into a {@code String} parameter:
 * {@code 127.0.0.1:p1,127.0.0.1:p2,...}, every node including observers. With {@link ZkNodeId} or {@link ZkLeader}
 * as well, the connect string of that node alone.
 *
 * <pre>{@code
 * @Test
 * void connects(@ZkConnectString String connectString) {
 *     try (var client = CuratorFrameworkFactory.newClient(connectString, retryPolicy)) { ... }
 * }
 * }</pre>
 *
 * <p>The annotation registers the extension for its method, so that where no ensemble is declared the parameter
 * fails saying what to add ({@code @ZkCluster} or a {@code ZkClusterExtension} field), not with JUnit's
 * "No ParameterResolver registered".
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ZkClusterExtension.class)
@API(status = API.Status.MAINTAINED, since = "0.1")
public @interface ZkConnectString {}
