rootProject.name = "zk-harness-starter"
