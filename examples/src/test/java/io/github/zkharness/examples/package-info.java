/**
 * Executable documentation: each class teaches one lesson about ZooKeeper or about zk-harness (see the
 * examples table in docs/guide/README.md), runs in the build, and is what the snippets of the README and the guide are cut from
 * ({@code ReadmeSnippetTest} checks them). Uses only the public API, as a user would.
 */
package io.github.zkharness.examples;
