package io.github.zkharness.junit5;

import io.github.zkharness.ZkEnsemble;
import io.github.zkharness.ZkHarnessException;
import io.github.zkharness.ZkInterruptedException;
import io.github.zkharness.ZkNode;
import io.github.zkharness.ZkTimeoutException;
import io.github.zkharness.ZkTls;
import java.io.Closeable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/** What the extension injects, and the messages when it cannot. */
final class Injection {

    private Injection() {}

    /** Whether the parameter is one the extension injects (or, if misused, explains). */
    static boolean handles(ParameterContext parameter) {
        Class<?> type = parameter.getParameter().getType();
        return type == ZkEnsemble.class
                || type == ZkTls.class
                || type == ZkNode.class
                || type == ZooKeeper.class
                || type.getName().equals(CuratorClients.TYPE_NAME)
                || parameter.isAnnotated(ZkConnectString.class);
    }

    static Object resolve(ParameterContext parameter, ExtensionContext context, ZkEnsemble ensemble) {
        Class<?> type = parameter.getParameter().getType();
        Optional<ZkNodeId> nodeId = parameter.findAnnotation(ZkNodeId.class);
        boolean leader = parameter.isAnnotated(ZkLeader.class);
        if (nodeId.isPresent() && leader) {
            throw fail(capitalized(where(parameter)) + " has both @ZkNodeId and @ZkLeader; keep one");
        }
        if (parameter.isAnnotated(ZkConnectString.class)) {
            if (type != String.class) {
                throw fail("@ZkConnectString on " + where(parameter) + ": the parameter must be a String");
            }
            ZkNode node = node(parameter, ensemble, nodeId, leader);
            return node != null ? node.connectString() : ensemble.connectString();
        }
        if (type == ZkEnsemble.class) {
            if (nodeId.isPresent() || leader) {
                throw fail("@" + (leader ? "ZkLeader" : "ZkNodeId") + " on " + where(parameter)
                        + ": a ZkEnsemble is the whole ensemble; take a ZkNode parameter for one node");
            }
            return ensemble;
        }
        if (type == ZkTls.class) {
            if (nodeId.isPresent() || leader) {
                throw fail("@" + (leader ? "ZkLeader" : "ZkNodeId") + " on " + where(parameter)
                        + ": a ZkTls is the ensemble's TLS material, the same for every node");
            }
            try {
                return ensemble.tls();
            } catch (IllegalStateException e) {
                throw fail(capitalized(where(parameter)) + " is a ZkTls, but " + e.getMessage()
                        + "; declare @ZkCluster(tls = true)");
            }
        }
        ZkNode node = node(parameter, ensemble, nodeId, leader);
        if (type == ZkNode.class) {
            if (node == null) {
                throw fail(capitalized(where(parameter))
                        + " is a ZkNode: annotate it with @ZkNodeId(id) or @ZkLeader to say which node");
            }
            return node;
        }
        String connectString = node != null ? node.connectString() : ensemble.connectString();
        try {
            if (type == ZooKeeper.class) {
                ZooKeeper client = ensemble.newZooKeeper(connectString);
                InjectedClients.of(context).add(ZooKeeperClients.closer(client));
                return client;
            }
            // a client of one node talks to that node alone: Curator's ensemble tracker is off then
            Closeable curator = node != null ? CuratorClients.connect(node) : CuratorClients.connect(ensemble);
            InjectedClients.of(context).add(CuratorClients.closer(curator));
            return curator;
        } catch (ZkTimeoutException e) {
            throw fail(
                    (type == ZooKeeper.class ? "ZooKeeper" : "Curator") + " client for " + where(parameter)
                            + " did not connect: " + e.getMessage(),
                    e);
        } catch (ZkInterruptedException e) {
            throw fail("Interrupted while connecting a client for " + where(parameter), e);
        } catch (Exception e) {
            throw fail("Could not connect a client for " + where(parameter) + " to " + connectString + ": " + e, e);
        }
    }

    private static @Nullable ZkNode node(
            ParameterContext parameter, ZkEnsemble ensemble, Optional<ZkNodeId> nodeId, boolean leader) {
        if (nodeId.isPresent()) {
            int id = nodeId.get().value();
            List<Integer> ids = ensemble.nodes().stream().map(ZkNode::id).toList();
            if (!ids.contains(id)) {
                throw fail("@ZkNodeId(" + id + ") on " + where(parameter) + ": the ensemble's node ids are " + ids);
            }
            return ensemble.node(id);
        }
        if (leader) {
            try {
                return ensemble.awaitLeader();
            } catch (ZkHarnessException e) {
                throw fail("@ZkLeader on " + where(parameter) + ": " + e.getMessage(), e);
            }
        }
        return null;
    }

    /** The message when no ensemble applies where a parameter asks for one. */
    static ParameterResolutionException noEnsemble(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            String perTest = perTestDeclaration(context.getRequiredTestClass());
            if (perTest != null) {
                return fail("No ZooKeeper ensemble for " + where(parameter) + ": the ensemble of " + perTest
                        + " exists only while a test runs; take the parameter in the test or in a @BeforeEach method, or"
                        + " declare the ensemble on the class");
            }
        }
        return fail("No ZooKeeper ensemble is declared for " + where(parameter) + ": annotate the test class or"
                + " method with @ZkCluster, or register a ZkClusterExtension with @RegisterExtension");
    }

    private static @Nullable String perTestDeclaration(Class<?> testClass) {
        for (var field : AnnotationSupport.findAnnotatedFields(
                testClass,
                RegisterExtension.class,
                f -> !Modifier.isStatic(f.getModifiers()) && f.getType() == ZkClusterExtension.class,
                HierarchyTraversalMode.TOP_DOWN)) {
            return "@RegisterExtension field " + field.getDeclaringClass().getName() + "." + field.getName();
        }
        for (var method :
                AnnotationSupport.findAnnotatedMethods(testClass, ZkCluster.class, HierarchyTraversalMode.TOP_DOWN)) {
            return "@ZkCluster on method " + Declaration.methodName(testClass, method);
        }
        return null;
    }

    /** As JUnit names a parameter: {@code parameter [int arg0] in method [void x.Y.test(int)]}. */
    static String where(ParameterContext parameter) {
        Executable executable = parameter.getDeclaringExecutable();
        return "parameter [" + parameter.getParameter() + "] in "
                + (executable instanceof Constructor ? "constructor" : "method") + " [" + executable.toGenericString()
                + "]";
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static ParameterResolutionException fail(String message) {
        return new ParameterResolutionException(message);
    }

    private static ParameterResolutionException fail(String message, Throwable cause) {
        return new ParameterResolutionException(message, cause);
    }
}
