/**
 * The adapter to Vert.x and Netty implementation classes ({@code *.impl.*}).
 *
 * <p>Rule of this package: it is the only one allowed to import implementation classes of Vert.x or
 * Netty ({@code ArchitectureTest}); it exposes what Gatehouse needs from them through small static
 * methods and classes with public types only.
 */
package dev.gatehouse.gateway.vertx;
