package dev.gatehouse.admin;

import dev.gatehouse.testing.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link AdminApiContract} on the embedded default store (an H2 file in a fresh data directory). */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class AdminApiTest extends AdminApiContract {
}
