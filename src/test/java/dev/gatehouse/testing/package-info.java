/**
 * Test infrastructure with real peers: a JWKS-serving OpenID provider ({@link dev.gatehouse.testing.TestIdp}),
 * a recording upstream, real Keycloak, and the Quarkus test resources that wire them into a config.
 */
package dev.gatehouse.testing;
