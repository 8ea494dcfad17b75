package dev.gatehouse.admin;

import dev.gatehouse.testing.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link AdminGuardContract} on the embedded default store. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class AdminGuardTest extends AdminGuardContract {
}
