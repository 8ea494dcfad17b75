package dev.gatehouse.admin;

import dev.gatehouse.testing.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link ShadowModeContract} on the embedded default store (H2). */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class ShadowModeTest extends ShadowModeContract {
}
