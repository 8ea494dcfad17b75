package dev.gatehouse.session;

import dev.gatehouse.store.Database;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Sessions on H2, the embedded store. */
class H2SessionRepositoryTest extends SessionRepositoryContract {
    @Override
    DataSource freshDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        return ds;
    }

    @Override
    String name() {
        return Database.H2;
    }
}
