// The same project for Gradle (not run by zk-harness's build: the Maven POM beside it is).
plugins {
    java
}

repositories {
    mavenLocal() // zk-harness 0.1.0-SNAPSHOT, from `./mvnw -B install -DskipTests` in a zk-harness checkout
    mavenCentral()
}

java {
    toolchain {
        languageVersion.set(JavaLanguageVersion.of(17))
    }
}

dependencies {
    testImplementation(platform("io.github.zkharness:zk-harness-bom:0.1.0-SNAPSHOT"))
    testImplementation("io.github.zkharness:harness-junit5")   // @ZkCluster; brings harness-core and ZooKeeper
    testImplementation(platform("org.junit:junit-bom:5.14.1"))
    testImplementation("org.junit.jupiter:junit-jupiter")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
    testRuntimeOnly("ch.qos.logback:logback-classic:1.3.15")  // src/test/resources/logback-test.xml keeps ZooKeeper quiet
}

tasks.test {
    useJUnitPlatform()
}
