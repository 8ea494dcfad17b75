package dev.gatehouse.store;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** {@link RevocationStoreContract} on H2. */
class RevocationStoreH2Test extends RevocationStoreContract {
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
