package dev.gatehouse.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The schema, by Flyway from {@code src/main/resources/db/migration}: one set of portable scripts
 * for H2 and PostgreSQL. The running proxy migrates through Quarkus's Flyway bean of the active
 * datasource ({@link StoreBeans}); tests outside Quarkus through {@link #migrate(DataSource)}.
 */
public final class Migrations {
    static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /** Migrates a plain data source (tests, tools): Flyway with the classpath location. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
    }

    /**
     * Creates the data directory owner-only (0700), as the assertion keys expect, before H2 creates
     * its file there with whatever the umask gives; a directory that exists is left as it is.
     */
    static void ensureDataDir(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }
}
