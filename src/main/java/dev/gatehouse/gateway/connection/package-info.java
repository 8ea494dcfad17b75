/**
 * Client connections below the HTTP layer: what a slow, silent or greedy client can hold.
 *
 * <p>Vert.x has no request-head deadline (its idle timeout is reset by every byte, so a client that
 * trickles a header line every few seconds keeps a connection forever) and no per-address cap.
 * {@link dev.gatehouse.gateway.connection.ClientConnections} adds both at the Netty level: a
 * handler on the listening socket gives every accepted connection a
 * {@link dev.gatehouse.gateway.connection.ConnectionGuard} before Vert.x builds its HTTP pipeline.
 * The same hook puts a {@link dev.gatehouse.gateway.connection.StrictRequestDecoder} in place of
 * Vert.x's HTTP/1 decoder: request heads are held to RFC 9112, and what it refuses reaches the
 * pipeline as a {@link dev.gatehouse.gateway.connection.MalformedHead}, to be answered 400. On an
 * HTTP/2 connection it puts a {@link dev.gatehouse.gateway.connection.Http2HeadCheck} in front of the
 * frame decoder's listener instead: a head with an ambiguous or malformed authority reaches the
 * pipeline without one, to be answered 400, where Vert.x would reset the stream.
 * Everything here runs on Netty event loops and never blocks.
 *
 * <p>The data port's TLS is chosen here too ({@link dev.gatehouse.gateway.connection.TlsEngine}):
 * BoringSSL with the key material parsed once per TLS context, and an RSA key's handshake
 * signatures made by AWS-LC where it loads ({@link dev.gatehouse.gateway.connection.NativeTlsSigner}).
 */
package dev.gatehouse.gateway.connection;
