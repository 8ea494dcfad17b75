/**
 * The one access check ({@link dev.gatehouse.access.AccessCheck}) and the vocabulary of how a
 * request ended ({@link dev.gatehouse.access.Verdict}, {@link dev.gatehouse.access.RequestReason});
 * also what the gateway hands the admin API once the check allowed a request, or reports when it
 * refused one ({@link dev.gatehouse.access.AdminRequest}, {@link dev.gatehouse.access.AdminAudit}),
 * kept here so that neither of the two imports the other.
 *
 * <p>Rule of this package: pure Java, like {@code policy}: no {@code io.quarkus}, {@code io.vertx},
 * {@code io.netty} or {@code jakarta} imports (enforced by {@code ArchitectureTest}); it uses only
 * {@code route}, {@code config}, {@code policy} and {@code net}.
 */
package dev.gatehouse.access;
