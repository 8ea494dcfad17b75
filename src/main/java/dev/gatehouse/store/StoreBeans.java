package dev.gatehouse.store;

import dev.gatehouse.config.GatehouseSettings;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.arc.Arc;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

/**
 * Produces the one {@link Database} (whichever of the two store datasources
 * {@link StoreConfigSource} made active, migrated to the current schema before first use) and the
 * store's parts over it, which are plain classes so that tests can build them on any data source.
 */
public class StoreBeans {
    private static final Logger LOG = Logger.getLogger(StoreBeans.class);

    @Produces
    @Singleton
    StoreStatus storeStatus(Clock clock) {
        return new StoreStatus(clock);
    }

    /**
     * The store's database. Migrated here when it answers; when it does not, Gatehouse starts
     * anyway (with the config file's apps) and the schema is migrated before the first unit of work
     * once it is back ({@link Database#ensureMigrated}).
     */
    @Produces
    @Singleton
    Database database(GatehouseSettings settings, StoreStatus status) {
        boolean postgres = settings.store().url().filter(u -> !u.isBlank()).isPresent();
        String name = postgres ? Database.POSTGRES : Database.H2;
        if (!postgres) {
            Migrations.ensureDataDir(Path.of(settings.dataDir()).toAbsolutePath());
        }
        Optional<AgroalDataSource> ds = AgroalDataSourceUtil.dataSourceIfActive(name);
        if (ds.isEmpty()) {
            throw new IllegalStateException("the store datasource " + name + " is not active; check gatehouse.store.url");
        }
        String where = postgres ? "PostgreSQL " + redact(settings.store().url().get())
                : "embedded H2 in " + Path.of(settings.dataDir()).toAbsolutePath().normalize();
        Database db = new Database(ds.get(), name, () -> {
            Flyway flyway = Arc.container().select(Flyway.class, FlywayDataSource.FlywayDataSourceLiteral.of(name)).get();
            var result = flyway.migrate();
            // the version from the migrate result: each flyway.info() would open a connection, scan the
            // migration scripts and read the history table again (two of them cost about as much as the
            // migrate of a current schema)
            LOG.infof("store: %s, schema at version %s (%d migration(s) applied)", where,
                    schemaVersion(result), result.migrationsExecuted);
        }, status);
        try {
            db.ensureMigrated();
        } catch (StoreUnavailableException e) {
            LOG.errorf("store: %s cannot be reached (%s); starting with the config file's apps only, the store's "
                    + "apps follow when it answers", where, e.getMessage());
        }
        return db;
    }

    @Produces
    @Singleton
    AuditLog auditLog(Database db, Clock clock) {
        return new AuditLog(db, clock);
    }

    @Produces
    @Singleton
    AuditVerifier auditVerifier(Database db) {
        return new AuditVerifier(db);
    }

    @Produces
    @Singleton
    AppStore appStore(Database db, AuditLog audit) {
        return new AppStore(db, audit);
    }

    @Produces
    @Singleton
    CandidateStore candidateStore(Database db, AuditLog audit) {
        return new CandidateStore(db, audit);
    }

    /**
     * The sessions; with PostgreSQL and {@code gatehouse.store.key} their keys are sealed with it.
     * With PostgreSQL and no store key (a key file signs assertions) they stay plain, and that is
     * said at start: a dump of the database would then read and forge every session cookie.
     */
    @Produces
    @Singleton
    SessionStore sessionStore(Database db, GatehouseSettings settings) {
        Optional<SealingKeys> sealing = sealingKeys(db, settings);
        if (db.shared() && sealing.isEmpty()) {
            LOG.warn("gatehouse.store.key is not set: the session keys are kept in PostgreSQL unsealed, so a dump "
                    + "of the database can read and forge every session cookie. Set GATEHOUSE_STORE_KEY (`openssl "
                    + "rand -base64 32`, the same on every replica) to seal them.");
        }
        return new SessionStore(db, sealing.orElse(null));
    }

    /**
     * The operator's sealing keys, {@code gatehouse.store.key} and {@code gatehouse.store.previous-keys};
     * empty with the embedded store (nothing there is sealed) or without a key.
     *
     * @throws ConfigurationException naming the setting whose key is not 32 bytes of base64
     */
    public static Optional<SealingKeys> sealingKeys(Database db, GatehouseSettings settings) {
        Optional<String> key = settings.store().key().filter(k -> !k.isBlank());
        if (!db.shared() || key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SealingKeys.of(key.get(), settings.store().previousKeys().orElse(List.of())));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    @Produces
    @Singleton
    SpentSignInStates spentSignInStates(Database db, Clock clock) {
        return new SpentSignInStates(db, clock);
    }

    /**
     * Change notices between replicas: LISTEN/NOTIFY on PostgreSQL (a dedicated connection, outside
     * the pool, unless {@code gatehouse.store.listen=false}); within the process on the embedded store
     * (one replica) or when listening is off (the periodic check alone then propagates changes).
     */
    @Produces
    @Singleton
    ClusterEvents clusterEvents(Database db, GatehouseSettings settings) {
        if (!db.shared() || !settings.store().listen()) {
            return new LocalClusterEvents();
        }
        String url = settings.store().url().orElseThrow().trim();
        Properties props = new Properties();
        settings.store().username().ifPresent(u -> props.setProperty("user", u));
        settings.store().password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", PgClusterEvents.APPLICATION_NAME);
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "5");
        org.postgresql.Driver driver = new org.postgresql.Driver();
        return new PgClusterEvents(db, () -> {
            java.sql.Connection c = driver.connect(url, props);
            if (c == null) {
                throw new java.sql.SQLException("not a PostgreSQL JDBC URL: " + redact(url));
            }
            return c;
        }).start();
    }

    void closeClusterEvents(@Disposes ClusterEvents events) {
        if (events instanceof PgClusterEvents pg) {
            pg.close();
        }
    }

    /**
     * The schema version after a migrate: the last one it applied, else the one it found; "?" for a
     * schema Flyway has no version of.
     */
    static String schemaVersion(MigrateResult result) {
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        return version == null || version.isEmpty() ? "?" : version;
    }

    /** A JDBC URL may carry a password as a parameter: log only scheme, host and database. */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
