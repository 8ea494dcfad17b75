/**
 * Observability: Prometheus meters, the JSON decision log, and what the admin console shows of
 * recent traffic ({@link dev.gatehouse.observe.RecentTraffic}, and the per-replica rings
 * {@link dev.gatehouse.observe.RecentDenials} and {@link dev.gatehouse.observe.RecentDisagreements}).
 *
 * <p>Rule of this package: label values come from bounded sets (app ids, outcomes, reason codes,
 * status classes), never from users, paths or device ids. The rings hold users and paths, in
 * memory only, for admins on the admin host; they are never exported as metrics.
 */
package dev.gatehouse.observe;
