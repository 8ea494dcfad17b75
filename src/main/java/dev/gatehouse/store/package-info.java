/**
 * The versioned store: apps written through the admin API as immutable versions with optimistic
 * concurrency, and the hash-chained audit log; JDBC over the embedded H2 file (default) or
 * PostgreSQL, schema by Flyway. Also what replicas share: change notices between them
 * ({@link dev.gatehouse.store.ClusterEvents}, LISTEN/NOTIFY on PostgreSQL) and sealed keys
 * ({@link dev.gatehouse.store.ClusterKeys}, sealed and re-sealed with the operator's keys,
 * {@link dev.gatehouse.store.SealingKeys}; the session keys of {@link dev.gatehouse.store.SessionStore}
 * with them, on PostgreSQL).
 *
 * <p>Rule of this package: JDBC only here and only on worker threads ({@link dev.gatehouse.store.Database}
 * refuses an event loop); it stores documents the caller validated and decides only what must be
 * decided inside a transaction (preconditions, routes, the chain). It uses {@code config}, {@code
 * policy}, {@code net} and {@code time} at most, never the request path.
 */
package dev.gatehouse.store;
