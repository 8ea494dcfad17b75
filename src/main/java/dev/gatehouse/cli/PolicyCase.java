package dev.gatehouse.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One validated test case of a case file.
 *
 * @param label    {@code <file stem>: <name>}, as printed
 * @param app      the app id to evaluate directly, or null to route by {@code host}
 * @param host     the raw Host value (normalised like the proxy does), or null when {@code app} is given
 * @param method   HTTP method, upper case
 * @param path     the raw request path, without the query
 * @param sourceIp the client address literal
 * @param time     the instant of the request
 * @param claims   verified token claims with placeholders resolved, or null for an anonymous request
 * @param expect   what the case expects
 */
record PolicyCase(String label, String app, String host, String method, String path, String sourceIp,
                  Instant time, Map<String, Object> claims, Expectation expect) {

    /**
     * @param decision allow, deny, unauthenticated, not-found, bad-request or reserved
     * @param reasons  reason codes the actual reasons must start with, in order; empty for no check
     * @param rule     the expected deciding rule, or null for no check
     * @param app      the app the request must be routed to, or null for no check
     */
    record Expectation(String decision, List<String> reasons, String rule, String app) {
    }
}
