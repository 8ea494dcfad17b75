/**
 * Client connections below the HTTP layer: what a slow, silent or greedy client can hold.
 *
 * <p>Vert.x has no request-head deadline (its idle timeout is reset by every byte, so a client that
 * trickles a header line every few seconds keeps a connection forever) and no per-address cap.
 * {@link dev.gatehouse.gateway.connection.ClientConnections} adds both at the Netty level: a
 * handler on the listening socket gives every accepted connection a
 * {@link dev.gatehouse.gateway.connection.ConnectionGuard} before Vert.x builds its HTTP pipeline.
 * Everything here runs on Netty event loops and never blocks.
 */
package dev.gatehouse.gateway.connection;
