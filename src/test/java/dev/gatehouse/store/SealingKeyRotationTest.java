package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.Postgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Rotating {@code gatehouse.store.key} on a real PostgreSQL: a store sealed under key A is read by
 * a replica with B and previous key A, re-sealed under B (audited, in one transaction), then read
 * by a replica with B alone; a replica with A alone is told which key it lacks.
 */
class SealingKeyRotationTest {
    private static final String A = SealingKeysTest.A;
    private static final String B = SealingKeysTest.B;
    private static final Function<ClusterKeys.Resealed, AuditEvent> AUDITED = counts -> new AuditEvent(
            new Actor("root-admin", "test"), "store-key.reseal", null, "127.0.0.1", "req-1", "ok",
            "{\"key\":\"" + counts.keyId() + "\",\"resealed\":" + counts.resealed() + ",\"already_current\":"
                    + counts.alreadyCurrent() + "}");

    private static Database database() throws Exception {
        DataSource ds = Postgres.freshDatabase();
        Migrations.migrate(ds);
        return new Database(ds, Database.POSTGRES);
    }

    private static ClusterKeys replica(Database db, String current, String... previous) {
        return new ClusterKeys(db, SealingKeys.of(current, List.of(previous)), Clock.systemUTC());
    }

    private static Map<String, String> read(ClusterKeys keys, String purpose) {
        return keys.loadOrCreate(purpose, () -> {
            throw new AssertionError("no key may be made: the store has them");
        });
    }

    @Test
    void aStoreSealedUnderAIsReadWithBAndPreviousAResealedAndThenReadWithBAlone() throws Exception {
        Database db = database();
        AuditLog audit = new AuditLog(db, Clock.systemUTC());
        ClusterKeys onlyA = replica(db, A);
        onlyA.loadOrCreate("assertion", () -> new String[] {"k1", "assertion secret one"});
        onlyA.add("assertion", "k2", "assertion secret two");
        onlyA.loadOrCreate("other", () -> new String[] {"o1", "other secret"});
        insertV1(db, "legacy", "l1", SealingKeysTest.sealedV1(A, "legacy\nl1", "sealed before key ids"));
        String idA = onlyA.sealing().currentId();
        String idB = SealingKeys.of(B).currentId();
        assertThat(onlyA.sealedBy()).containsEntry(idA, 4).hasSize(1);

        // B seals, A still opens: every secret reads, and the old replica keeps reading too
        ClusterKeys bAndA = replica(db, B, A);
        assertThat(read(bAndA, "assertion")).containsOnly(Map.entry("k1", "assertion secret one"),
                Map.entry("k2", "assertion secret two"));
        assertThat(read(bAndA, "other")).containsOnly(Map.entry("o1", "other secret"));
        assertThat(read(bAndA, "legacy")).containsOnly(Map.entry("l1", "sealed before key ids"));
        assertThat(bAndA.sealedBy()).containsExactly(Map.entry(idA, 4));

        ClusterKeys.Resealed done = bAndA.reseal(audit, AUDITED);
        assertThat(done).isEqualTo(new ClusterKeys.Resealed(idB, 4, 0));
        assertThat(bAndA.sealedBy()).containsExactly(Map.entry(idB, 4));
        assertThat(sealedColumns(db)).allSatisfy(s -> assertThat(s).startsWith("v2:" + idB + ":"));
        assertThat(bAndA.reseal(audit, AUDITED)).as("a second re-seal has nothing to do")
                .isEqualTo(new ClusterKeys.Resealed(idB, 0, 4));

        ClusterKeys onlyB = replica(db, B);
        assertThat(read(onlyB, "assertion")).containsOnly(Map.entry("k1", "assertion secret one"),
                Map.entry("k2", "assertion secret two"));
        assertThat(read(onlyB, "legacy")).containsOnly(Map.entry("l1", "sealed before key ids"));

        assertThatThrownBy(() -> read(onlyA, "assertion")).isInstanceOf(UnsealException.class)
                .hasMessageContaining("sealed with store key " + idB)
                .hasMessageContaining("gatehouse.store.key is " + idA)
                .hasMessageContaining("gatehouse.store.previous-keys");

        List<AuditEntry> entries = audit.query(null, "root-admin", null, null, null, 10);
        assertThat(entries).hasSize(2);
        assertThat(entries.toString()).contains("store-key.reseal", "\"resealed\":4", "\"resealed\":0", idB)
                .doesNotContain(A).doesNotContain(B).doesNotContain("secret");
    }

    @Test
    void aResealThatMeetsARowNoKeyHereOpensWritesNothing() throws Exception {
        Database db = database();
        AuditLog audit = new AuditLog(db, Clock.systemUTC());
        replica(db, A).loadOrCreate("assertion", () -> new String[] {"k1", "secret one"});
        String other = SealingKeysTest.key(9);
        replica(db, other).loadOrCreate("other", () -> new String[] {"o1", "secret two"});
        List<String> before = sealedColumns(db);

        assertThatThrownBy(() -> replica(db, B, A).reseal(audit, AUDITED)).isInstanceOf(UnsealException.class)
                .hasMessageContaining("cluster key other/o1")
                .hasMessageContaining("store key " + SealingKeys.of(other).currentId());
        assertThat(sealedColumns(db)).as("nothing re-sealed").isEqualTo(before);
        assertThat(audit.query(null, null, null, null, null, 10)).as("nor audited as done").isEmpty();
    }

    @Test
    void retiredKeysAreLeftAlone() throws Exception {
        Database db = database();
        AuditLog audit = new AuditLog(db, Clock.systemUTC());
        ClusterKeys onlyA = replica(db, A);
        onlyA.loadOrCreate("assertion", () -> new String[] {"k1", "one"});
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO cluster_keys (purpose, kid, created_ms, sealed, retired_ms) "
                    + "VALUES ('assertion', 'k0', 1, 'retired', 2)");
            c.commit();
        }
        assertThat(replica(db, B, A).reseal(audit, AUDITED).resealed()).isEqualTo(1);
        assertThat(sealedColumns(db)).contains("retired");
    }

    private static void insertV1(Database db, String purpose, String kid, String sealed) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cluster_keys (purpose, kid, created_ms, sealed) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, purpose);
            ps.setString(2, kid);
            ps.setLong(3, 1);
            ps.setString(4, sealed);
            ps.executeUpdate();
            c.commit();
        }
    }

    private static List<String> sealedColumns(Database db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sealed FROM cluster_keys ORDER BY purpose, kid")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            c.rollback();
            return out;
        }
    }
}
