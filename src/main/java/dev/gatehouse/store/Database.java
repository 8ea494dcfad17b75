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
    private final Runnable migrate;
    private final StoreStatus status;
    /** Whether {@link #migrate} has run to the end in this process. */
    private volatile boolean migrated;

    /**
     * @param dataSource a migrated database (see {@link Migrations})
     * @param name       {@link #H2} or {@link #POSTGRES}
     */
    public Database(DataSource dataSource, String name) {
        this(dataSource, name, () -> { }, new StoreStatus(java.time.Clock.systemUTC()));
    }

    /**
     * @param dataSource a database, migrated or not
     * @param name       {@link #H2} or {@link #POSTGRES}
     * @param migrate    brings the schema up to date; run before the first unit of work, and again
     *                   before the next one for as long as it fails (the store may be down at
     *                   startup: Gatehouse starts anyway, with the file's apps)
     * @param status     told when the database cannot be reached
     */
    public Database(DataSource dataSource, String name, Runnable migrate, StoreStatus status) {
        this.dataSource = dataSource;
        this.name = name;
        this.migrate = migrate;
        this.status = status;
    }

    /** What the last use or check of the database found. */
    public StoreStatus status() {
        return status;
    }

    /** Whether this is PostgreSQL (several replicas may share it). */
    public boolean shared() {
        return POSTGRES.equals(name);
    }

    /**
     * Migrates the schema if that has not succeeded yet.
     *
     * @throws StoreUnavailableException when the database cannot be reached or migrated
     */
    public void ensureMigrated() {
        if (migrated) {
            return;
        }
        synchronized (this) {
            if (!migrated) {
                try {
                    migrate.run();
                } catch (RuntimeException e) {
                    String why = "the store's schema cannot be migrated: " + rootMessage(e);
                    status.down(why);
                    throw new StoreUnavailableException(why, e);
                }
                migrated = true;
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
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
        ensureMigrated();
        try {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            String why = "the store's database cannot be reached: " + e.getMessage();
            status.down(why);
            throw new StoreUnavailableException(why, e);
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
