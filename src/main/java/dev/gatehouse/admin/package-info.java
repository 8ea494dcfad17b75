/**
 * The admin API (quarkus-rest, JSON, problem+json errors) over the versioned store, and the
 * effective config it publishes: file apps plus apps written through the API, one snapshot.
 *
 * <p>Rule of this package: a request reaches these resources only from the gateway, after the
 * admin policy allowed it (the caller is in the routing context); every write is validated with
 * the config file's own reader, applied in one store transaction, audited, and then published as
 * a new immutable snapshot; JDBC runs on worker threads only. It uses everything below the gateway,
 * never the gateway itself.
 */
package dev.gatehouse.admin;
