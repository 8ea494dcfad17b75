package dev.gatehouse.session;

import dev.gatehouse.store.Database;
import dev.gatehouse.testing.Postgres;
import javax.sql.DataSource;

/** Sessions on a real PostgreSQL server (embedded binaries started by the test run). */
class PostgresSessionRepositoryTest extends SessionRepositoryContract {
    @Override
    DataSource freshDatabase() throws Exception {
        return Postgres.freshDatabase();
    }

    @Override
    String name() {
        return Database.POSTGRES;
    }
}
