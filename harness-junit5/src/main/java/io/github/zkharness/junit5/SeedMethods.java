package io.github.zkharness.junit5;

import io.github.zkharness.DataSeed;
import io.github.zkharness.ZkEnsemble;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/** The {@link ZkSeed} methods of a test class, superclasses first, as the core builder's seeds. */
final class SeedMethods {

    private SeedMethods() {}

    /** The seed methods' names, for comparing what classes sharing an ensemble declare: {@code " seeds [x.Y#m]"}. */
    static String names(Class<?> testClass) {
        List<String> names = new ArrayList<>();
        for (Method method :
                AnnotationSupport.findAnnotatedMethods(testClass, ZkSeed.class, HierarchyTraversalMode.TOP_DOWN)) {
            names.add(method.getDeclaringClass().getName() + "#" + method.getName());
        }
        return names.isEmpty() ? "" : " seeds " + names;
    }

    static List<DataSeed> of(Class<?> testClass) {
        List<DataSeed> seeds = new ArrayList<>();
        for (Method method :
                AnnotationSupport.findAnnotatedMethods(testClass, ZkSeed.class, HierarchyTraversalMode.TOP_DOWN)) {
            if (!Modifier.isStatic(method.getModifiers())
                    || method.getParameterCount() != 1
                    || method.getParameterTypes()[0] != ZkEnsemble.class) {
                throw new ExtensionConfigurationException("@ZkSeed method " + Declaration.methodName(testClass, method)
                        + " must be static and take one ZkEnsemble parameter: static void seed(ZkEnsemble zk)");
            }
            method.setAccessible(true);
            seeds.add(ensemble -> {
                try {
                    method.invoke(null, ensemble);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
                }
            });
        }
        return seeds;
    }
}
