/**
 * <b>Internal to zk-harness; do not use.</b> The loopback TCP forwarders every peer and client connection passes
 * through: one NIO thread per ensemble ({@link io.github.zkharness.internal.net.LinkHub}), a
 * {@link io.github.zkharness.internal.net.Link} per listening address, and per connection the conditions a fault
 * sets (refuse, hold, delay, limit). Knows nothing of ZooKeeper; used by {@code io.github.zkharness.internal}.
 */
package io.github.zkharness.internal.net;
