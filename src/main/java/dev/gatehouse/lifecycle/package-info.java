/**
 * Process lifecycle: loading the configuration at startup (or starting the embedded demo) and
 * installing the first snapshot.
 *
 * <p>Rule of this package: a bad configuration stops the process with every error listed; it is
 * never half-loaded.
 */
package dev.gatehouse.lifecycle;
