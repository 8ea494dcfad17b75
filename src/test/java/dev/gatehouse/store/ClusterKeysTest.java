package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.Postgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Cluster keys on a real PostgreSQL: one key for replicas that start together, sealed at rest, rotation, retirement. */
class ClusterKeysTest {
    private static final String OTHER_KEY = "b3RoZXItdGVzdC1zZWFsaW5nLWtleS0zMi1ieXRlcyE=";

    private static Database database() throws Exception {
        DataSource ds = Postgres.freshDatabase();
        Migrations.migrate(ds);
        return new Database(ds, Database.POSTGRES);
    }

    @Test
    void replicasStartingTogetherAgreeOnOneKey() throws Exception {
        Database db = database();
        AtomicInteger made = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Map<String, String>>> replicas = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ClusterKeys keys = new ClusterKeys(db, Postgres.SEALING_KEY, Clock.systemUTC());
                Callable<Map<String, String>> start = () -> keys.loadOrCreate("assertion",
                        () -> new String[] {"kid-" + made.incrementAndGet(), "secret " + made.get()});
                replicas.add(pool.submit(start));
            }
            Map<String, String> first = replicas.get(0).get();
            assertThat(made.get()).as("one replica made the key").isEqualTo(1);
            assertThat(first).hasSize(1);
            for (Future<Map<String, String>> r : replicas) {
                assertThat(r.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void keysAreSealedAndOnlyTheRightKeyOpensThem() throws Exception {
        Database db = database();
        new ClusterKeys(db, Postgres.SEALING_KEY, Clock.systemUTC()).loadOrCreate("assertion",
                () -> new String[] {"k1", "-----BEGIN PRIVATE KEY-----secret"});
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sealed FROM cluster_keys")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("v2:" + SealingKeys.of(Postgres.SEALING_KEY).currentId() + ":")
                    .doesNotContain("secret").doesNotContain("PRIVATE");
        }
        ClusterKeys wrong = new ClusterKeys(db, OTHER_KEY, Clock.systemUTC());
        assertThatThrownBy(() -> wrong.loadOrCreate("assertion", () -> new String[] {"k2", "x"}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gatehouse.store.key");
        assertThatThrownBy(() -> new ClusterKeys(db, "c2hvcnQ=", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void aSealedValueMovedToAnotherRowDoesNotOpen() throws Exception {
        Database db = database();
        ClusterKeys keys = new ClusterKeys(db, Postgres.SEALING_KEY, Clock.systemUTC());
        String sealed = keys.seal("assertion", "k1", "secret");
        assertThat(keys.unseal("assertion", "k1", sealed)).isEqualTo("secret");
        assertThatThrownBy(() -> keys.unseal("assertion", "k2", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRotationPutsTheNewKeyFirstAndKeepsTheOld() throws Exception {
        Database db = database();
        long[] now = {1_000};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(now[0]);
            }
        };
        ClusterKeys keys = new ClusterKeys(db, Postgres.SEALING_KEY, clock);
        keys.loadOrCreate("assertion", () -> new String[] {"old", "old secret"});
        now[0] = 2_000;
        keys.add("assertion", "new", "new secret");
        Map<String, String> all = keys.loadOrCreate("assertion", () -> new String[] {"never", "x"});
        assertThat(all.keySet()).containsExactly("new", "old");
        assertThat(all.get("old")).isEqualTo("old secret");
    }

    @Test
    void anAuditedRotationAddsOneKeyPerReadingAndItsAuditEntryWithIt() throws Exception {
        Database db = database();
        AuditLog audit = new AuditLog(db, Clock.systemUTC());
        ClusterKeys keys = new ClusterKeys(db, Postgres.SEALING_KEY, Clock.systemUTC());
        keys.loadOrCreate("assertion", () -> new String[] {"k1", "one"});
        AuditEvent event = new AuditEvent(new Actor("root-admin", "test"), "assertion-key.rotate", null, "127.0.0.1",
                "req-1", "ok", "{\"kid\":\"k2\"}");
        assertThat(keys.add("assertion", "k2", "two", 1, audit, event)).isTrue();
        assertThat(keys.add("assertion", "k3", "three", 1, audit, event)).as("a stale count adds nothing").isFalse();
        assertThat(keys.loadOrCreate("assertion", () -> new String[] {"never", "x"}).keySet()).containsExactly("k2", "k1");
        List<AuditEntry> entries = audit.query(null, "root-admin", null, null, null, 10);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).toString()).contains("assertion-key.rotate", "k2");
    }

    /**
     * Retiring: only a live key other than the newest, only at the version read; the key is no
     * longer read, its sealed secret is overwritten, the version moves on, and the audit entry is
     * written with it.
     */
    @Test
    void aRetiredKeyIsNotReadItsSecretIsErasedAndItsAuditEntryIsWrittenWithIt() throws Exception {
        Database db = database();
        AuditLog audit = new AuditLog(db, Clock.systemUTC());
        ClusterKeys early = new ClusterKeys(db, Postgres.SEALING_KEY, Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC));
        ClusterKeys later = new ClusterKeys(db, Postgres.SEALING_KEY, Clock.fixed(Instant.ofEpochMilli(2_000), ZoneOffset.UTC));
        early.loadOrCreate("assertion", () -> new String[] {"k1", "secret one"});
        AuditEvent rotate = new AuditEvent(new Actor("root-admin", "test"), "assertion-key.rotate", null, "127.0.0.1",
                "req-1", "ok", "{\"kid\":\"k2\"}");
        assertThat(later.add("assertion", "k2", "secret two", 1, audit, rotate)).isTrue();
        ClusterKeys.Stored before = later.load("assertion", () -> new String[] {"never", "x"});
        assertThat(before.live().keySet()).containsExactly("k2", "k1");
        assertThat(before.retired()).isEmpty();
        assertThat(before.version()).isEqualTo(2);

        AuditEvent retire = new AuditEvent(new Actor("root-admin", "test"), "assertion-key.retire", null, "127.0.0.1",
                "req-2", "ok", "{\"kid\":\"k1\"}");
        assertThat(later.retire("assertion", "k2", 2, audit, retire)).as("the newest key, which signs").isFalse();
        assertThat(later.retire("assertion", "k1", 1, audit, retire)).as("decided on an older version").isFalse();
        assertThat(later.retire("assertion", "k9", 2, audit, retire)).as("no such key").isFalse();
        assertThat(later.retire("assertion", "k1", 2, audit, retire)).isTrue();
        assertThat(later.retire("assertion", "k1", 3, audit, retire)).as("retired once").isFalse();

        ClusterKeys.Stored after = later.load("assertion", () -> new String[] {"never", "x"});
        assertThat(after.live()).containsOnlyKeys("k2");
        assertThat(after.retired()).containsExactly("k1");
        assertThat(after.version()).isEqualTo(3);
        assertThat(later.loadOrCreate("assertion", () -> new String[] {"never", "x"})).containsOnlyKeys("k2");
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sealed, retired_ms FROM cluster_keys WHERE kid = 'k1'")) {
            rs.next();
            assertThat(rs.getString(1)).as("the private half is gone").doesNotStartWith("v1:").doesNotStartWith("v2:");
            assertThat(rs.getLong(2)).isEqualTo(2_000L);
        }
        assertThat(later.add("assertion", "k3", "three", 2, audit, rotate)).as("a rotation names the version too")
                .isFalse();
        List<AuditEntry> entries = audit.query(null, "root-admin", null, null, null, 10);
        assertThat(entries).hasSize(2);
        assertThat(entries.toString()).contains("assertion-key.retire", "k1");
    }
}
