/**
 * Process lifecycle: loading the configuration at startup (or, with {@code gatehouse.demo=true}, starting
 * the embedded demo) and
 * installing the first snapshot.
 *
 * <p>Rule of this package: a bad configuration stops the process with every error listed; it is
 * never half-loaded, and a missing one is an error, never the demo.
 */
package dev.gatehouse.lifecycle;
