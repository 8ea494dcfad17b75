/**
 * Gatehouse, a zero-trust access proxy. {@link dev.gatehouse.GatehouseMain} starts the proxy, or
 * runs the offline {@code policy} command; the packages below hold one job each (see the README's
 * design section).
 */
package dev.gatehouse;
