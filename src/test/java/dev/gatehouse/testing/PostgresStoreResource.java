package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Points Gatehouse's store at a fresh database on the test run's own PostgreSQL server
 * ({@link Postgres}) with {@code gatehouse.store.url}: the same setting an operator uses; the
 * sealing key is {@link Postgres#SEALING_KEY}, with {@link Postgres#PREVIOUS_SEALING_KEY} as a
 * previous key (as in the middle of a sealing key rotation). Use with
 * {@code restrictToAnnotatedClass = true}, beside {@link GatehouseTestResource}.
 */
public class PostgresStoreResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        try {
            return Map.of("gatehouse.store.url", Postgres.freshDatabaseUrl(), "gatehouse.store.username", "postgres",
                    "gatehouse.store.key", Postgres.SEALING_KEY, "gatehouse.store.previous-keys",
                    Postgres.PREVIOUS_SEALING_KEY);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }

    @Override
    public void stop() {
        Postgres.stop(); // Gatehouse has stopped: its server and databases go
    }
}
