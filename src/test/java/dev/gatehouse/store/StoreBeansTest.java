package dev.gatehouse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The schema version the startup line names comes from the migrate result alone, fresh or current. */
class StoreBeansTest {
    @Test
    void versionOfAFreshAndOfACurrentSchemaIsTheOneFlywayInfoGives() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway flyway = Flyway.configure().dataSource(ds).locations(Migrations.LOCATION).load();
        String fresh = StoreBeans.schemaVersion(flyway.migrate());
        String current = StoreBeans.schemaVersion(flyway.migrate()); // nothing left to apply
        String expected = flyway.info().current().getVersion().getVersion();
        assertEquals(expected, fresh);
        assertEquals(expected, current);
    }

    @Test
    void aSchemaWithoutVersionIsAQuestionMark() {
        assertEquals("?", StoreBeans.schemaVersion(new org.flywaydb.core.api.output.MigrateResult()));
    }
}
