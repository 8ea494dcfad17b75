/**
 * Routing: which app a request belongs to, and the snapshot of everything the request path reads.
 *
 * <p>Rule of this package: immutable tables built once per configuration and swapped atomically;
 * a new configuration builds the next snapshot incrementally (unchanged apps keep their routes and
 * compiled policies); matching allocates nothing and never blocks.
 */
package dev.gatehouse.route;
