/**
 * The data plane on Vert.x: the fixed pipeline (normalise, route, authenticate, decide, record,
 * respond or forward), deny responses and Gatehouse's reserved endpoints.
 *
 * <p>Rule of this package: everything runs on the event loop and never blocks; a request that is
 * denied, unauthenticated or malformed is answered here and never reaches {@code forward}.
 */
package dev.gatehouse.gateway;
