package io.github.zkharness.release;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The public API of one module as text, one line per type and per member, sorted, so that a change shows in a review
 * as the lines it adds and removes. Read by reflection from the compiled classes (found with ArchUnit's importer, so
 * that a module's types are exactly those of its artifact; loaded without being initialized).
 *
 * <p>Listed: public top-level types outside {@code internal} packages and outside {@code org.apache.zookeeper},
 * unless annotated {@code @API(status = INTERNAL)}; their public and protected nested types likewise; of each, its
 * {@code @API} status, its public and protected constructors, methods, fields, enum constants, record components and
 * annotation attributes with their defaults. Every line starts with the type's binary name (without
 * {@code io.github.zkharness.}), so one line read alone in a diff says where it belongs. Not listed: the values of
 * constants (reading them would initialize the class).
 */
final class ApiListing {

    private ApiListing() {}

    /** The listing of the given classes, one entry per line, sorted. */
    static List<String> of(JavaClasses classes) {
        TreeSet<String> lines = new TreeSet<>();
        for (JavaClass imported : classes) {
            if (imported.isTopLevelClass()
                    && imported.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
                    && !imported.getPackageName().contains(".internal")
                    && !imported.getPackageName().startsWith("org.apache.zookeeper")
                    && !imported.getSimpleName().equals("package-info")) {
                list(load(imported.getName()), lines);
            }
        }
        return new ArrayList<>(lines);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ApiListing.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " was imported but cannot be loaded", e);
        }
    }

    private static void list(Class<?> type, TreeSet<String> lines) {
        API api = type.getAnnotation(API.class);
        if (api != null && api.status() == API.Status.INTERNAL) {
            return;
        }
        String owner = simplify(type.getName());
        lines.add(owner + " : " + status(api) + " " + header(type));
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor) && !constructor.isSynthetic()) {
                lines.add(owner + " : constructor " + signature(constructor));
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (field.isEnumConstant()) {
                lines.add(owner + " : enum constant " + field.getName());
            } else if (visible(field) && !field.isSynthetic()) {
                lines.add(owner + " : field " + memberApi(field) + modifiers(field.getModifiers()) + " "
                        + typeName(field.getGenericType()) + " " + field.getName());
            }
        }
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                // numbered: the order of a record's components is API (its canonical constructor, its patterns)
                lines.add(String.format(
                        "%s : record component %02d %s %s",
                        owner, i + 1, typeName(components[i].getGenericType()), components[i].getName()));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (!visible(method) || method.isSynthetic() || method.isBridge()) {
                continue;
            }
            if (type.isAnnotation()) {
                Object value = method.getDefaultValue();
                lines.add(owner + " : attribute "
                        + simplify(method.getGenericReturnType().getTypeName()) + " " + method.getName() + "()"
                        + (value == null ? "" : " default " + literal(value)));
            } else {
                lines.add(owner + " : method " + signature(method));
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (visible(nested.getModifiers()) && !nested.isSynthetic()) {
                list(nested, lines);
            }
        }
    }

    private static String status(API api) {
        return api == null ? "(no @API)" : "@API(" + api.status() + ", since " + api.since() + ")";
    }

    private static String memberApi(java.lang.reflect.AnnotatedElement element) {
        API api = element.getAnnotation(API.class);
        return api == null ? "" : status(api) + " ";
    }

    private static String header(Class<?> type) {
        int modifiers = type.getModifiers();
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
            modifiers &= ~(Modifier.INTERFACE | Modifier.ABSTRACT);
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~(Modifier.INTERFACE | Modifier.ABSTRACT);
        } else if (type.isEnum()) {
            kind = "enum";
            modifiers &= ~(Modifier.FINAL | Modifier.ABSTRACT);
        } else if (type.isRecord()) {
            kind = "record";
            modifiers &= ~Modifier.FINAL;
        } else {
            kind = "class";
        }
        StringBuilder text = new StringBuilder();
        String prefix = Modifier.toString(modifiers);
        text.append(prefix.isEmpty() ? "" : prefix + " ")
                .append(kind)
                .append(' ')
                .append(type.getSimpleName());
        String parameters = Arrays.stream(type.getTypeParameters())
                .map(parameter -> parameter.getName()
                        + (parameter.getBounds().length == 1 && parameter.getBounds()[0].equals(Object.class)
                                ? ""
                                : " extends "
                                        + Arrays.stream(parameter.getBounds())
                                                .map(ApiListing::typeName)
                                                .collect(Collectors.joining(" & "))))
                .collect(Collectors.joining(", "));
        if (!parameters.isEmpty()) {
            text.append('<').append(parameters).append('>');
        }
        Type parent = type.getGenericSuperclass();
        if (parent != null
                && parent != Object.class
                && parent != Record.class
                && !(type.isEnum() && type.getSuperclass() == Enum.class)) {
            text.append(" extends ").append(typeName(parent));
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (type.isAnnotation()) {
            interfaces = new Type[0];
        }
        if (interfaces.length > 0) {
            text.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(ApiListing::typeName).collect(Collectors.joining(", ")));
        }
        return text.toString();
    }

    /** Modifiers, type parameters, return type, name, parameter types and exceptions, without the owner's name. */
    private static String signature(Executable executable) {
        StringBuilder text = new StringBuilder(memberApi(executable));
        int modifiers = executable.getModifiers()
                & (executable instanceof Method ? Modifier.methodModifiers() : Modifier.constructorModifiers());
        if (executable.getDeclaringClass().isInterface()) {
            modifiers &= ~Modifier.ABSTRACT; // implicit
        }
        text.append(modifiers(modifiers));
        if (executable instanceof Method method && method.isDefault()) {
            text.append(" default");
        }
        String parameters = typeParameters(executable.getTypeParameters());
        if (!parameters.isEmpty()) {
            text.append(" <").append(parameters).append('>');
        }
        if (executable instanceof Method method) {
            text.append(' ')
                    .append(typeName(method.getGenericReturnType()))
                    .append(' ')
                    .append(method.getName());
        } else {
            text.append(' ').append(executable.getDeclaringClass().getSimpleName());
        }
        Type[] types = executable.getGenericParameterTypes();
        if (types.length != executable.getParameterCount()) {
            types = executable.getParameterTypes(); // inner-class constructors: the generic view leaves out the outer
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String name = typeName(types[i]);
            if (executable.isVarArgs() && i == types.length - 1 && name.endsWith("[]")) {
                name = name.substring(0, name.length() - 2) + "...";
            }
            names.add(name);
        }
        text.append('(').append(String.join(", ", names)).append(')');
        Type[] exceptions = executable.getGenericExceptionTypes();
        if (exceptions.length > 0) {
            text.append(" throws ")
                    .append(Arrays.stream(exceptions).map(ApiListing::typeName).collect(Collectors.joining(", ")));
        }
        return text.toString();
    }

    private static String modifiers(int modifiers) {
        return Modifier.toString(modifiers);
    }

    private static String typeParameters(java.lang.reflect.TypeVariable<?>[] variables) {
        return Arrays.stream(variables)
                .map(variable -> variable.getName()
                        + (variable.getBounds().length == 1 && variable.getBounds()[0].equals(Object.class)
                                ? ""
                                : " extends "
                                        + Arrays.stream(variable.getBounds())
                                                .map(ApiListing::typeName)
                                                .collect(Collectors.joining(" & "))))
                .collect(Collectors.joining(", "));
    }

    private static String typeName(Type type) {
        return simplify(type.getTypeName());
    }

    /**
     * {@code java.lang.String} reads as {@code String} and {@code io.github.zkharness.ZkNetwork} as
     * {@code network.ZkNetwork}; other packages stay whole, so the text is unambiguous.
     */
    private static String simplify(String text) {
        return text.replaceAll("\\bjava\\.lang\\.(?=[A-Z])", "").replaceAll("\\bio\\.github\\.zkharness\\.", "");
    }

    private static String literal(Object value) {
        if (value instanceof String text) {
            return '"' + text + '"';
        }
        if (value instanceof Class<?> type) {
            return simplify(type.getName()) + ".class";
        }
        if (value instanceof Enum<?> constant) {
            return constant.getDeclaringClass().getSimpleName() + "." + constant.name();
        }
        if (value.getClass().isArray()) {
            int length = java.lang.reflect.Array.getLength(value);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                items.add(literal(java.lang.reflect.Array.get(value, i)));
            }
            return "{" + String.join(", ", items) + "}";
        }
        if (value instanceof java.lang.annotation.Annotation annotation) {
            return simplify(annotation.toString());
        }
        return String.valueOf(value);
    }

    private static boolean visible(Member member) {
        return visible(member.getModifiers());
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }
}
