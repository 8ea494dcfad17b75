package dev.gatehouse.store;

import dev.gatehouse.testing.Postgres;
import javax.sql.DataSource;

/**
 * The store's contract on a real PostgreSQL server (14, from io.zonky.test's binaries, started by
 * the test run itself): a fresh database per test.
 */
class PostgresStoreTest extends StoreContract {
    @Override
    DataSource freshDatabase() throws Exception {
        return Postgres.freshDatabase();
    }

    @Override
    String name() {
        return Database.POSTGRES;
    }
}
