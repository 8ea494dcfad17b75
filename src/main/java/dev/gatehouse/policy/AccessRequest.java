package dev.gatehouse.policy;

import java.net.InetAddress;
import java.time.Instant;

/**
 * Everything a policy may look at for one request.
 *
 * @param identity the verified caller, or null when the request carries no credentials
 * @param method   the HTTP method, upper case
 * @param path     the normalised path (the one that is forwarded)
 * @param host     the request host, lower case, without port
 * @param sourceIp the client address Gatehouse trusts (peer, or forwarded from a trusted proxy)
 * @param time     the instant of the decision
 */
public record AccessRequest(Identity identity, String method, String path, String host,
                            InetAddress sourceIp, Instant time) {
}
