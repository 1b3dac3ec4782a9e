package io.github.zkharness.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects the node that leads when the parameter is resolved: {@code @ZkLeader ZkNode leader}. The extension waits
 * (up to the ensemble's start timeout) for a leader that serves. The node object stays the same node: after a
 * failover it is no longer the leader; ask {@code ensemble.leader()} again then. On a {@code ZooKeeper},
 * {@code CuratorFramework} or {@code @ZkConnectString String} parameter, the client connects to the leader alone.
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
public @interface ZkLeader {}
