/**
 * <b>Internal to zk-harness; do not use.</b> Secured ensembles: the certificates the harness generates for TLS
 * ({@link io.github.zkharness.internal.security.Certificates}: a CA, leaf certificates with loopback names, PKCS12
 * key and trust stores, built with BouncyCastle's PKIX) and each ensemble's TLS material in its temporary directory
 * ({@link io.github.zkharness.internal.security.EnsembleTls}), and SASL: an ensemble's users and JAAS sections
 * ({@link io.github.zkharness.internal.security.EnsembleSasl}) served by the harness's JAAS configuration
 * ({@link io.github.zkharness.internal.security.HarnessJaasConfiguration}). The JVM-wide part (the client port's server
 * certificate, which ZooKeeper reads from system properties, and the JAAS configuration) is set only in
 * {@link io.github.zkharness.internal.JvmGlobals}. May be used by the rest of {@code io.github.zkharness.internal}
 * and harness-core's public packages.
 */
package io.github.zkharness.internal.security;
