package io.github.zkharness.release;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiled classes of one zk-harness module, read with ArchUnit's importer from wherever the build put them (the
 * module's jar in {@code verify}, its {@code target/classes} when an IDE runs the test). A module is found through
 * one class it is known to hold, so a module's classes are exactly those of its artifact, whatever their packages.
 */
enum Modules {
    HARNESS_CORE("io.github.zkharness.ZkEnsemble"),
    HARNESS_JUNIT5("io.github.zkharness.junit5.ZkClusterExtension"),
    HARNESS_SANDBOX("io.github.zkharness.sandbox.ZkSandbox"),
    BENCHMARKS("io.github.zkharness.bench.DiskBench"),
    /** The examples are test classes: their test jar. */
    EXAMPLES("io.github.zkharness.examples.FirewalledNodeExample");

    private final String knownClass;

    Modules(String knownClass) {
        this.knownClass = knownClass;
    }

    /** Where this module's classes are: a jar or a directory. */
    Path location() {
        try {
            Class<?> type = Class.forName(knownClass, false, Modules.class.getClassLoader());
            URL url = type.getProtectionDomain().getCodeSource().getLocation();
            return Path.of(url.toURI());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    knownClass + " is not on release-check's test class path; release-check/pom.xml must depend on "
                            + "the module that holds it (test scope)",
                    e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the location of " + knownClass, e);
        }
    }

    /** Where this module's classes are, as ArchUnit reads them. */
    Location archUnitLocation() {
        Path path = location();
        if (Files.isDirectory(path)) {
            return Location.of(path);
        }
        return Location.of(URI.create("jar:" + path.toUri() + "!/"));
    }

    /** Every class of this module. */
    JavaClasses classes() {
        return classesOf(this);
    }

    /** Every class of the given modules, imported together (so dependencies between them resolve). */
    static JavaClasses classesOf(Modules... modules) {
        List<Location> locations = new ArrayList<>();
        for (Modules module : modules) {
            locations.add(module.archUnitLocation());
        }
        JavaClasses classes = new ClassFileImporter().importLocations(locations);
        if (classes.isEmpty()) {
            throw new IllegalStateException("no class found in " + locations);
        }
        return classes;
    }
}
