/**
 * Forwarding an allowed request: header hygiene, the signed assertion, and streaming to the upstream.
 *
 * <p>Rule of this package: only requests the pipeline allowed arrive here; bodies are streamed,
 * never buffered whole, and nothing here decides access.
 */
package dev.gatehouse.gateway.forward;
