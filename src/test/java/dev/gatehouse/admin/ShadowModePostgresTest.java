package dev.gatehouse.admin;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.PostgresStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link ShadowModeContract} with the store on a real PostgreSQL server started by the test run. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(value = PostgresStoreResource.class, restrictToAnnotatedClass = true)
class ShadowModePostgresTest extends ShadowModeContract {
}
