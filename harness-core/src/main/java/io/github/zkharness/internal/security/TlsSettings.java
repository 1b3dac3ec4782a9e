package io.github.zkharness.internal.security;

import org.apiguardian.api.API;

/**
 * What {@code ZkEnsemble.Builder} asked for about TLS, frozen; absent (null) when the ensemble runs in plain text.
 *
 * @param plainClientPort whether the client ports also take plain clients (ZooKeeper's port unification)
 * @param mutual          whether the client ports require a client certificate signed by the harness's client CA
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record TlsSettings(boolean plainClientPort, boolean mutual) {}
