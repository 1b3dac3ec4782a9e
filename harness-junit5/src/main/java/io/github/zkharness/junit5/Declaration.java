package io.github.zkharness.junit5;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * One place that declares an ensemble: {@code @ZkCluster} on a class or method (directly, inherited or as a
 * meta-annotation) or a {@code @RegisterExtension ZkClusterExtension} field. {@link #find(ExtensionContext)} works
 * out the one declaration that applies to a context, from the test's classes and method alone (never from which
 * extension instance JUnit happens to call), so that every callback agrees and conflicts are found before anything
 * starts.
 */
final class Declaration {

    /** A class-scoped ensemble lives in the store of its class's context; a test-scoped one in the test's. */
    enum Scope {
        CLASS,
        TEST
    }

    final Scope scope;
    /** For conflict messages: {@code @ZkCluster on class x.Y}. */
    final String description;
    /** For invalid-value messages: {@code on class x.Y}. */
    final String origin;
    /** For CLASS scope: the test class whose context owns the ensemble. */
    final @Nullable Class<?> ownerClass;

    private final @Nullable ZkCluster annotation;
    private final @Nullable Field field;

    private Declaration(
            Scope scope,
            String description,
            String origin,
            @Nullable Class<?> ownerClass,
            @Nullable ZkCluster annotation,
            @Nullable Field field) {
        this.scope = scope;
        this.description = description;
        this.origin = origin;
        this.ownerClass = ownerClass;
        this.annotation = annotation;
        this.field = field;
    }

    boolean isField() {
        return field != null;
    }

    /**
     * The declaration that applies to {@code context}: for a class context, a class-level one; for a test, the
     * class-level one of its class or enclosing classes, or its own.
     *
     * @throws ExtensionConfigurationException naming every declaration if more than one applies
     */
    static Optional<Declaration> find(ExtensionContext context) {
        List<Declaration> all = new ArrayList<>();
        List<Declaration> applicable = new ArrayList<>();
        List<ExtensionContext> classContexts = classContexts(context);
        for (ExtensionContext classContext : classContexts) {
            Class<?> testClass = classContext.getRequiredTestClass();
            Optional<ZkCluster> onClass = AnnotationSupport.findAnnotation(testClass, ZkCluster.class);
            if (onClass.isPresent()) {
                Declaration d = new Declaration(
                        Scope.CLASS,
                        "@ZkCluster on class " + testClass.getName() + via(testClass),
                        "on class " + testClass.getName(),
                        testClass,
                        onClass.get(),
                        null);
                all.add(d);
                applicable.add(d);
            }
            for (Field f : extensionFields(testClass)) {
                boolean isStatic = Modifier.isStatic(f.getModifiers());
                if (!declaresExtension(f, context)) {
                    continue; // another extension in a field of a type ZkClusterExtension also has
                }
                String name = f.getDeclaringClass().getName() + "." + f.getName();
                Declaration d = new Declaration(
                        isStatic ? Scope.CLASS : Scope.TEST,
                        "@RegisterExtension field " + name,
                        "in field " + name,
                        testClass,
                        null,
                        f);
                all.add(d);
                if (isStatic || context.getTestMethod().isPresent()) {
                    applicable.add(d);
                }
            }
        }
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<ZkCluster> onMethod = AnnotationSupport.findAnnotation(method.get(), ZkCluster.class);
            if (onMethod.isPresent()) {
                String where = "method " + methodName(context.getRequiredTestClass(), method.get());
                Declaration d = new Declaration(
                        Scope.TEST,
                        "@ZkCluster on " + where + via(method.get()),
                        "on " + where,
                        null,
                        onMethod.get(),
                        null);
                all.add(d);
                applicable.add(d);
            }
        }
        if (all.size() > 1) {
            String target = method.isPresent()
                    ? "method " + methodName(context.getRequiredTestClass(), method.get())
                    : "class " + context.getRequiredTestClass().getName();
            throw new ExtensionConfigurationException("Conflicting ZooKeeper ensembles for " + target + ": "
                    + all.stream().map(d -> d.description).collect(Collectors.joining(" and "))
                    + ". A test gets exactly one ensemble: keep one declaration, or move the tests that need another"
                    + " ensemble to a class of their own");
        }
        return applicable.stream().findFirst();
    }

    /** The settings this declaration asks for. */
    @SuppressWarnings("NullAway") // a declaration has an annotation or a field holding a built extension
    ClusterSpec spec(ExtensionContext context) {
        return annotation != null
                ? ZkClusterTranslator.translate(annotation)
                : extension(context).spec();
    }

    /**
     * The name under which classes share this declaration's ensemble across the whole run, or {@code null} when
     * the ensemble is the declaring class's own.
     */
    @SuppressWarnings("NullAway") // as in spec(context)
    @Nullable
    String sharedName(ExtensionContext context) {
        if (scope == Scope.TEST) {
            return null;
        }
        String name = annotation != null
                ? annotation.shared()
                : extension(context).spec().shared();
        return name == null || name.isBlank() ? null : name;
    }

    /** The extension in the declaring field; {@code null} for an annotation. */
    @Nullable
    ZkClusterExtension extension(ExtensionContext context) {
        if (field == null) {
            return null;
        }
        Object value = read(field, context);
        if (!(value instanceof ZkClusterExtension extension)) {
            throw new ExtensionConfigurationException(description + " holds " + value
                    + " instead of a ZkClusterExtension; initialize it with ZkClusterExtension.builder()...build()");
        }
        return extension;
    }

    /**
     * The context whose store holds this declaration's ensemble: for a class-level declaration, the context of the
     * class that declares it (reached from {@code context}); for a test-level one, {@code context} itself.
     */
    ExtensionContext owner(ExtensionContext context) {
        if (scope == Scope.TEST) {
            return context;
        }
        if (sharedName(context) != null) {
            return context.getRoot(); // closed when the whole run ends
        }
        for (ExtensionContext c : classContexts(context)) {
            if (c.getRequiredTestClass() == ownerClass) {
                return c;
            }
        }
        throw new IllegalStateException("no context of " + (ownerClass == null ? null : ownerClass.getName())
                + " above " + context.getUniqueId());
    }

    /** The context of the class that declares this (class-level) declaration, reached from {@code context}. */
    ExtensionContext classContext(ExtensionContext context) {
        for (ExtensionContext c : classContexts(context)) {
            if (c.getRequiredTestClass() == ownerClass) {
                return c;
            }
        }
        throw new IllegalStateException("no context of " + (ownerClass == null ? null : ownerClass.getName())
                + " above " + context.getUniqueId());
    }

    /** Outermost first: the contexts of the test class and of the classes it is {@code @Nested} in. */
    private static List<ExtensionContext> classContexts(ExtensionContext context) {
        List<ExtensionContext> result = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            ExtensionContext x = c.get();
            if (x.getTestMethod().isEmpty()
                    && x.getElement().filter(e -> e instanceof Class).isPresent()
                    && x.getTestClass().isPresent()) {
                result.add(0, x);
            }
        }
        return result;
    }

    /** {@code @RegisterExtension} fields that may hold a ZkClusterExtension (declared as it or as a supertype). */
    private static List<Field> extensionFields(Class<?> testClass) {
        return AnnotationSupport.findAnnotatedFields(
                testClass,
                RegisterExtension.class,
                f -> f.getType().isAssignableFrom(ZkClusterExtension.class),
                HierarchyTraversalMode.TOP_DOWN);
    }

    /** Whether {@code field} holds a ZkClusterExtension, as far as can be told from {@code context}. */
    private static boolean declaresExtension(Field field, ExtensionContext context) {
        if (field.getType() == ZkClusterExtension.class) {
            return true;
        }
        if (!Modifier.isStatic(field.getModifiers())
                && context.getTestInstances().isEmpty()) {
            return false;
        }
        return read(field, context) instanceof ZkClusterExtension;
    }

    private static Object read(Field field, ExtensionContext context) {
        Object target = null;
        if (!Modifier.isStatic(field.getModifiers())) {
            target = context.getTestInstances()
                    .flatMap(instances -> instances.findInstance(field.getDeclaringClass()))
                    .orElseThrow(() -> new ExtensionConfigurationException("@RegisterExtension field "
                            + field.getDeclaringClass().getName() + "." + field.getName() + " is an instance field: its"
                            + " ensemble exists only once the test instance does, which is not yet the case at "
                            + context.getUniqueId() + "; take the ensemble in the test or in a @BeforeEach method"));
        }
        try {
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException(
                    "could not read @RegisterExtension field "
                            + field.getDeclaringClass().getName() + "." + field.getName() + ": " + e,
                    e);
        }
    }

    static String methodName(Class<?> testClass, Method method) {
        return testClass.getName() + "#" + method.getName() + "("
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", "))
                + ")";
    }

    /** {@code " (via @ThreeNodeZk)"} when the annotation comes from a meta-annotation, else empty. */
    private static String via(AnnotatedElement element) {
        for (Annotation a : element.getAnnotations()) {
            if (a instanceof ZkCluster) {
                return "";
            }
        }
        for (Annotation a : element.getAnnotations()) {
            if (carries(a.annotationType(), new HashSet<>())) {
                return " (via @" + a.annotationType().getSimpleName() + ")";
            }
        }
        return "";
    }

    private static boolean carries(Class<? extends Annotation> type, Set<Class<?>> seen) {
        if (type == ZkCluster.class) {
            return true;
        }
        if (!seen.add(type) || type.getName().startsWith("java.lang.annotation.")) {
            return false;
        }
        for (Annotation meta : type.getAnnotations()) {
            if (carries(meta.annotationType(), seen)) {
                return true;
            }
        }
        return false;
    }
}
