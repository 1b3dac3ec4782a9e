/**
 * Executable documentation: each class teaches one lesson about ZooKeeper or about zk-harness (see the
 * README's examples table), runs in the build, and is what the README's snippets are cut from
 * ({@code ReadmeSnippetTest} checks them). Uses only the public API, as a user would.
 */
package io.github.zkharness.examples;
