/**
 * The embedded demo: a development IdP and two demo upstream apps, started only when asked for with
 * {@code gatehouse.demo=true} and no config file is given.
 *
 * <p>Rule of this package: demo only; nothing here is used when a config file is given, and the demo
 * IdP never runs in production configurations.
 */
package dev.gatehouse.demo;
