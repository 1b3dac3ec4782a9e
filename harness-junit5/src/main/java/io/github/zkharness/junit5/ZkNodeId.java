package io.github.zkharness.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Says which node to inject: {@code @ZkNodeId(2) ZkNode node}. Ids start at 1, voters first, then observers. On a
 * {@code ZooKeeper}, {@code CuratorFramework} or {@code @ZkConnectString String} parameter, the client connects to
 * that node alone.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = API.Status.MAINTAINED, since = "0.1")
public @interface ZkNodeId {

    /** The server id ({@code myid}). */
    int value();
}
