/**
 * Routing: which app a request belongs to.
 *
 * <p>Rule of this package: immutable tables built once per configuration and swapped atomically;
 * matching allocates nothing and never blocks.
 */
package dev.gatehouse.route;
