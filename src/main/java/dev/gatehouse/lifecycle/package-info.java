/**
 * Process lifecycle: loading the configuration at startup (or, with {@code gatehouse.demo=true},
 * starting the embedded demo), reloading the file when it changes or on SIGHUP, and publishing each
 * configuration as the snapshot the request path reads.
 *
 * <p>Rule of this package: a bad configuration stops the process at startup with every error
 * listed, and changes nothing on a reload; it is never half-loaded, and a missing one is an error,
 * never the demo. Reload work runs on its own thread, never on an event loop.
 */
package dev.gatehouse.lifecycle;
