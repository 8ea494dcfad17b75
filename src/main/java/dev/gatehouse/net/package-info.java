/**
 * The request vocabulary: normalised paths and hosts, IP addresses and networks, trusted proxies.
 *
 * <p>Rule of this package: pure Java, uses nothing else of Gatehouse and no framework (enforced by
 * {@code ArchitectureTest}). Every other package that needs to read a path, a host or an address
 * reads it here, so that routing, policy, forwarding and {@code policy test} agree.
 */
package dev.gatehouse.net;
