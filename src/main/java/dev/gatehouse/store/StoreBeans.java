package dev.gatehouse.store;

import dev.gatehouse.config.GatehouseSettings;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.arc.Arc;
import io.quarkus.flyway.FlywayDataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.flywaydb.core.Flyway;
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
    Database database(GatehouseSettings settings) {
        boolean postgres = settings.store().url().filter(u -> !u.isBlank()).isPresent();
        String name = postgres ? Database.POSTGRES : Database.H2;
        if (!postgres) {
            Migrations.ensureDataDir(Path.of(settings.dataDir()).toAbsolutePath());
        }
        Optional<AgroalDataSource> ds = AgroalDataSourceUtil.dataSourceIfActive(name);
        if (ds.isEmpty()) {
            throw new IllegalStateException("the store datasource " + name + " is not active; check gatehouse.store.url");
        }
        Flyway flyway = Arc.container().select(Flyway.class, FlywayDataSource.FlywayDataSourceLiteral.of(name)).get();
        var result = flyway.migrate();
        LOG.infof("store: %s, schema at version %s (%d migration(s) applied)",
                postgres ? "PostgreSQL " + redact(settings.store().url().get())
                        : "embedded H2 in " + Path.of(settings.dataDir()).toAbsolutePath().normalize(),
                flyway.info().current() == null ? "?" : flyway.info().current().getVersion(),
                result.migrationsExecuted);
        return new Database(ds.get(), name);
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
    SessionStore sessionStore(Database db) {
        return new SessionStore(db);
    }

    /**
     * Change notices between replicas. One process for now; the PostgreSQL store replaces this
     * with LISTEN/NOTIFY plus a periodic check.
     */
    @Produces
    @Singleton
    ClusterEvents clusterEvents() {
        return new LocalClusterEvents();
    }

    /** A JDBC URL may carry a password as a parameter: log only scheme, host and database. */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
