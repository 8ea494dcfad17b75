package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The store's database: a JDBC {@link DataSource} (Agroal's pool in the running proxy, a plain one
 * in tests) and which kind it is. Every connection is taken here, and never on a Vert.x event loop:
 * the request path reads immutable snapshots only, and a slow database must never stall it.
 */
public final class Database {
    /** The embedded default: an H2 file in the data directory (one process). */
    public static final String H2 = "store-h2";
    /** PostgreSQL, chosen by {@code gatehouse.store.url} (several replicas). */
    public static final String POSTGRES = "store-pg";

    private final DataSource dataSource;
    private final String name;

    /**
     * @param dataSource a migrated database (see {@link Migrations})
     * @param name       {@link #H2} or {@link #POSTGRES}
     */
    public Database(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.name = name;
    }

    /** {@link #H2} or {@link #POSTGRES}. */
    public String name() {
        return name;
    }

    /**
     * A connection in manual-commit mode, for one unit of work.
     *
     * @throws IllegalStateException on a Vert.x event-loop thread (a bug: move the call to a worker)
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public Connection connection() {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException("JDBC on a Vert.x event loop: the store is used from worker threads only");
        }
        try {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            throw new StoreUnavailableException("the store's database cannot be reached: " + e.getMessage(), e);
        }
    }

    /** Rolls back quietly: used on the way out of a failed unit of work. */
    static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken anyway; the pool discards it
        }
    }
}
