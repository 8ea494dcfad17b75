/**
 * Observability: Prometheus meters and the JSON decision log.
 *
 * <p>Rule of this package: label values come from bounded sets (app ids, outcomes, reason codes,
 * status classes), never from users, paths or device ids.
 */
package dev.gatehouse.observe;
