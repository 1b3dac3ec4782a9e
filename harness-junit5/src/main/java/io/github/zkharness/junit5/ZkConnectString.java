package io.github.zkharness.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

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
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = API.Status.MAINTAINED, since = "0.1")
public @interface ZkConnectString {}
