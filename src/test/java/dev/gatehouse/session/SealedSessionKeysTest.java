package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.ClusterKeys;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.LocalClusterEvents;
import dev.gatehouse.store.Migrations;
import dev.gatehouse.store.SealingKeys;
import dev.gatehouse.store.SessionStore;
import dev.gatehouse.store.UnsealException;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.Postgres;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session keys on a real PostgreSQL, sealed with {@code gatehouse.store.key}: not readable in
 * the table; plain keys written before the upgrade still serve their sessions and are sealed by the
 * next rotation or the re-seal; a re-seal with a new key moves them; a replica without the key is
 * told which one it lacks and adds no key of its own.
 */
class SealedSessionKeysTest {
    private static final String A = key(1);
    private static final String B = key(2);
    private static final String ID_A = SealingKeys.of(A).currentId();
    private static final String ID_B = SealingKeys.of(B).currentId();
    private static final Duration ROTATION = Duration.ofDays(7);
    private static final Function<ClusterKeys.Resealed, AuditEvent> AUDITED = counts -> new AuditEvent(
            new Actor("root-admin", "test"), "store-key.reseal", null, "127.0.0.1", "req-1", "ok", "{}");

    private Vertx vertx;
    private Database db;
    private MutableClock clock;

    @BeforeEach
    void setUp() throws Exception {
        var ds = Postgres.freshDatabase();
        Migrations.migrate(ds);
        db = new Database(ds, Database.POSTGRES);
        vertx = Vertx.vertx();
        clock = new MutableClock();
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    @Test
    void aSessionKeyIsSealedInTheTableAndOpensOnlyInItsOwnRow() throws Exception {
        SessionStore sealing = sealedWith(A);
        Session made = create(replica(sealing), "alice");
        List<String[]> rows = keyRows();
        assertThat(rows).hasSize(1);
        String material = sealing.keys().values().iterator().next();
        assertThat(Base64.getDecoder().decode(material)).as("the key itself").hasSize(32);
        assertThat(rows.get(0)[1]).startsWith("v2:" + ID_A + ":").doesNotContain(material)
                .doesNotMatch("[A-Za-z0-9+/]{43}=");

        assertThat(load(replica(sealedWith(A)), made).caller().identity().subject())
                .as("another replica with the key serves the session").isEqualTo("alice");

        insertKeyRow("moved", rows.get(0)[1], 1);
        assertThatThrownBy(sealing::keys).as("a sealed value copied to another row does not open")
                .isInstanceOf(UnsealException.class).hasMessageContaining("session key moved")
                .hasMessageContaining("belongs to another row");
    }

    @Test
    void aPlainKeyFromBeforeTheUpgradeStillServesItsSessionsAndTheResealSealsIt() throws Exception {
        Session before = create(replica(new SessionStore(db)), "alice"); // as the release before sealing wrote it
        String plain = keyRows().get(0)[1];
        assertThat(Base64.getDecoder().decode(plain)).hasSize(32);
        ClusterKeys cluster = cluster(A);
        assertThat(cluster.sealedBy()).containsExactly(Map.entry("plain", 1));

        SessionRepository upgraded = replica(sealedWith(A));
        assertThat(load(upgraded, before).caller().identity().subject()).as("still signed in after the upgrade")
                .isEqualTo("alice");
        assertThat(keyRows().get(0)[1]).as("reading does not seal").isEqualTo(plain);

        assertThat(cluster.reseal(new AuditLog(db, clock), AUDITED)).isEqualTo(new ClusterKeys.Resealed(ID_A, 1, 0));
        assertThat(keyRows()).singleElement().satisfies(r -> assertThat(r[1]).startsWith("v2:" + ID_A + ":"));
        assertThat(cluster.sealedBy()).containsExactly(Map.entry(ID_A, 1));
        assertThat(sealedWith(A).keys()).containsExactly(Map.entry(keyRows().get(0)[0], plain));
        assertThat(load(replica(sealedWith(A)), before).caller().identity().subject())
                .as("still signed in after the re-seal").isEqualTo("alice");
    }

    @Test
    void theFirstRotationOfAReplicaWithTheKeySealsThePlainKeysToo() throws Exception {
        Session before = create(replica(new SessionStore(db)), "alice");
        clock.advance(ROTATION.plusDays(1));
        SessionRepository upgraded = replica(sealedWith(A)); // a rotation is due: it adds a key
        assertThat(keyRows()).hasSize(2)
                .allSatisfy(r -> assertThat(r[1]).startsWith("v2:" + ID_A + ":"));
        assertThat(load(upgraded, before).caller().identity().subject()).isEqualTo("alice");
        assertThat(load(replica(sealedWith(A)), before).caller().identity().subject()).isEqualTo("alice");
        assertThat(cluster(A).sealedBy()).containsExactly(Map.entry(ID_A, 2));
    }

    @Test
    void aResealWithANewCurrentKeyMovesTheSessionKeys() throws Exception {
        Session made = create(replica(sealedWith(A)), "alice");
        assertThat(load(replica(sealedWith(B, A)), made).caller().identity().subject())
                .as("B with previous key A reads what A sealed").isEqualTo("alice");
        ClusterKeys bAndA = cluster(B, A);
        assertThat(bAndA.sealedBy()).containsExactly(Map.entry(ID_A, 1));

        assertThat(bAndA.reseal(new AuditLog(db, clock), AUDITED)).isEqualTo(new ClusterKeys.Resealed(ID_B, 1, 0));
        assertThat(keyRows()).singleElement().satisfies(r -> assertThat(r[1]).startsWith("v2:" + ID_B + ":"));
        assertThat(bAndA.sealedBy()).containsExactly(Map.entry(ID_B, 1));
        assertThat(load(replica(sealedWith(B)), made).caller().identity().subject())
                .as("B alone, once the old key is dropped").isEqualTo("alice");
    }

    @Test
    void aReplicaWithoutTheKeyIsToldWhichKeyItLacksAndAddsNoKeyOfItsOwn() throws Exception {
        create(replica(sealedWith(A)), "alice");
        clock.advance(ROTATION.plusDays(1)); // a rotation is due: a key of its own would lock the others out
        String keyId = keyRows().get(0)[0];

        SessionKeys otherKey = new SessionKeys(sealedWith(B), clock, ROTATION);
        assertThatThrownBy(() -> onWorker(otherKey::rotateIfDueAndLoad)).rootCause()
                .isInstanceOf(UnsealException.class)
                .hasMessageContaining("session key " + keyId)
                .hasMessageContaining("sealed with store key " + ID_A)
                .hasMessageContaining("gatehouse.store.key is " + ID_B)
                .hasMessageContaining("gatehouse.store.previous-keys");

        SessionKeys noKey = new SessionKeys(new SessionStore(db), clock, ROTATION);
        assertThatThrownBy(() -> onWorker(noKey::rotateIfDueAndLoad)).rootCause()
                .isInstanceOf(UnsealException.class)
                .hasMessageContaining("session key " + keyId)
                .hasMessageContaining("store key " + ID_A)
                .hasMessageContaining("has no gatehouse.store.key")
                .hasMessageContaining("GATEHOUSE_STORE_KEY");

        assertThat(keyRows()).as("no new key, sealed or plain").extracting(r -> r[0]).containsExactly(keyId);
        assertThat(otherKey.loaded()).isFalse();
        assertThat(noKey.loaded()).isFalse();
    }

    private static String key(int n) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) n);
        return Base64.getEncoder().encodeToString(raw);
    }

    private SessionStore sealedWith(String current, String... previous) {
        return new SessionStore(db, SealingKeys.of(current, List.of(previous)));
    }

    private ClusterKeys cluster(String current, String... previous) {
        return new ClusterKeys(db, SealingKeys.of(current, List.of(previous)), Clock.systemUTC());
    }

    /** A replica over {@code store}, its session keys read (and made or rotated when due) as at its start. */
    private SessionRepository replica(SessionStore store) throws Exception {
        SessionKeys keys = new SessionKeys(store, clock, ROTATION);
        onWorker(keys::rotateIfDueAndLoad);
        return new SessionRepository(store, keys, new LocalClusterEvents(), vertx, clock,
                id -> id.equals("corp") ? SessionRepositoryContract.IDP : null);
    }

    private Session create(SessionRepository replica, String subject) throws Exception {
        return SessionRepositoryContract.await(replica.create(SessionRepositoryContract.IDP,
                SessionRepositoryContract.state(subject, "sid-" + subject, List.of("eng")), 30L * 24 * 3_600_000));
    }

    private static Session load(SessionRepository replica, Session made) throws Exception {
        Session loaded = SessionRepositoryContract.await(replica.load(made.handle()));
        assertThat(loaded).as("the session loads").isNotNull();
        return loaded;
    }

    private void onWorker(Runnable work) throws Exception {
        Callable<Void> call = () -> {
            work.run();
            return null;
        };
        SessionRepositoryContract.await(vertx.executeBlocking(call, false));
    }

    private List<String[]> keyRows() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_id, material FROM session_keys ORDER BY created_ms, key_id")) {
            List<String[]> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            c.rollback();
            return out;
        }
    }

    private void insertKeyRow(String keyId, String material, long createdMs) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO session_keys (key_id, material, created_ms) VALUES (?, ?, ?)")) {
            ps.setString(1, keyId);
            ps.setString(2, material);
            ps.setLong(3, createdMs);
            ps.executeUpdate();
            c.commit();
        }
    }
}
