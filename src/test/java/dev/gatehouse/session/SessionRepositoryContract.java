package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.LocalClusterEvents;
import dev.gatehouse.store.Migrations;
import dev.gatehouse.store.SessionStore;
import dev.gatehouse.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions in the store, as two replicas on one database see them: any replica serves a session
 * another made; state is encrypted at rest with keys that rotate (old keys still decrypt); an end
 * by id, sid or subject reaches the other replica's cache; a refresh reaches it too.
 */
abstract class SessionRepositoryContract {
    static final IdpConfig IDP = new IdpConfig("corp", "https://idp.example/realms/corp", "gatehouse", "web", "s",
            ClaimPaths.DEFAULTS, false);

    Vertx vertx;
    Database db;
    MutableClock clock;
    LocalClusterEvents events;
    SessionKeys keysA;
    SessionKeys keysB;
    SessionRepository a;
    SessionRepository b;

    abstract DataSource freshDatabase() throws Exception;

    abstract String name();

    @BeforeEach
    void setUp() throws Exception {
        DataSource ds = freshDatabase();
        Migrations.migrate(ds);
        db = new Database(ds, name());
        vertx = Vertx.vertx();
        clock = new MutableClock();
        events = new LocalClusterEvents(); // both replicas hear every notice, as over LISTEN/NOTIFY
        SessionStore store = new SessionStore(db);
        keysA = new SessionKeys(store, clock, Duration.ofDays(7));
        keysB = new SessionKeys(store, clock, Duration.ofDays(7));
        keysA.rotateIfDueAndLoad();
        keysB.rotateIfDueAndLoad();
        a = new SessionRepository(store, keysA, events, vertx, clock, id -> id.equals("corp") ? IDP : null);
        b = new SessionRepository(store, keysB, events, vertx, clock, id -> id.equals("corp") ? IDP : null);
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static SessionState state(String sub, String sid, List<String> groups) {
        return new SessionState(Map.of("sub", sub, "sid", sid, "email", "alice@example.com", "email_verified", true,
                "groups", groups), "id.token.secret-id-token", "secret-access-token", "secret-refresh-token",
                System.currentTimeMillis() + 300_000);
    }

    @Test
    void aSessionMadeOnOneReplicaIsServedByTheOther() throws Exception {
        Session made = await(a.create(IDP, state("alice", "sid-1", List.of("eng")), 3_600_000));
        assertThat(made.handle()).hasSize(43);
        assertThat(b.cached(made.handle())).isNull();
        Session loaded = await(b.load(made.handle()));
        assertThat(loaded.caller().identity().subject()).isEqualTo("alice");
        assertThat(loaded.caller().identity().groups()).containsExactly("eng");
        assertThat(loaded.state().refreshToken()).isEqualTo("secret-refresh-token");
        assertThat(b.cached(made.handle())).isSameAs(loaded);
        assertThat(await(b.load("A".repeat(43)))).isNull();
    }

    @Test
    void stateIsEncryptedAtRestAndTheTableHoldsNoUsableHandle() throws Exception {
        Session made = await(a.create(IDP, state("alice", "sid-1", List.of("eng")), 3_600_000));
        List<String> row = onWorker(() -> {
            try (Connection c = db.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, subject_hash, sid_hash, state FROM sessions")) {
                List<String> out = new ArrayList<>();
                rs.next();
                for (int i = 1; i <= 4; i++) {
                    out.add(rs.getString(i));
                }
                c.commit();
                return out;
            }
        });
        String all = String.join(" ", row);
        assertThat(all).doesNotContain(made.handle()).doesNotContain("alice").doesNotContain("secret")
                .doesNotContain("sid-1").doesNotContain("eng");
        assertThat(row.get(0)).isEqualTo(made.id()).isEqualTo(Secrets.sha256Hex(made.handle()));
    }

    @Test
    void rotatedKeysStillDecryptOldSessions() throws Exception {
        Session old = await(a.create(IDP, state("alice", "sid-1", List.of("eng")), 30L * 24 * 3_600_000));
        String firstKey = keysA.currentId();
        clock.advance(Duration.ofDays(8));
        onWorker(() -> {
            keysA.rotateIfDueAndLoad();
            return null;
        });
        assertThat(keysA.currentId()).isNotEqualTo(firstKey);
        Session fresh = await(a.create(IDP, state("bob", "sid-2", List.of()), 3_600_000));
        // replica B never loaded the new key: it reloads when it meets a value sealed with it
        assertThat(await(b.load(fresh.handle())).caller().identity().subject()).isEqualTo("bob");
        assertThat(await(b.load(old.handle())).caller().identity().subject()).isEqualTo("alice");
    }

    @Test
    void keysReplacedLongEnoughAgoThatNoSessionUsesAreDeletedEverywhereAndNoOtherKey() throws Exception {
        Duration margin = Duration.ofMinutes(10);
        String k1 = keysA.currentId();
        Session old = await(a.create(IDP, state("alice", "sid-1", List.of("eng")), 60L * 24 * 3_600_000));
        clock.advance(Duration.ofDays(8));
        String k2 = rotateOnA();
        String signInCookie = keysA.seal("{\"attempt\":1}", "login:x"); // a sign-in under way, sealed with k2
        onWorker(() -> {
            keysB.reload(); // B's housekeeping reads k2
            return null;
        });
        clock.advance(Duration.ofDays(8));
        String k3 = rotateOnA();
        assertThat(List.of(k1, k2, k3)).doesNotHaveDuplicates();

        // k2 encrypted until a moment ago: a sign-in cookie may still carry it, and B may still seal with it
        assertThat(onWorker(() -> keysA.retireUnused(margin))).isZero();
        assertThat(keysA.open(signInCookie, "login:x")).isEqualTo("{\"attempt\":1}");
        assertThat(storedKeyIds()).containsExactly(k1, k2, k3);

        clock.advance(margin.plusSeconds(1));
        assertThat(onWorker(() -> keysA.retireUnused(margin))).as("k2: replaced, used by no session").isEqualTo(1);
        assertThat(storedKeyIds()).as("k1 still decrypts alice's session").containsExactly(k1, k3);
        assertThat(keysA.knows(signInCookie)).isFalse();
        assertThat(keysA.open(signInCookie, "login:x")).isNull();
        assertThat(keysB.knows(signInCookie)).as("B read k2 before it went").isTrue();
        onWorker(() -> {
            keysB.reload();
            return null;
        });
        assertThat(keysB.knows(signInCookie)).as("and forgets it at its next reload").isFalse();
        assertThat(await(b.load(old.handle())).caller().identity().subject()).isEqualTo("alice");

        assertThat(onWorker(() -> a.endSession(old.id()))).isTrue();
        assertThat(onWorker(() -> keysA.retireUnused(margin))).as("k1, once its last session ended").isEqualTo(1);
        assertThat(storedKeyIds()).containsExactly(k3);

        clock.advance(Duration.ofDays(365)); // overdue for a rotation, but the newest key is never deleted
        assertThat(onWorker(() -> keysA.retireUnused(margin))).isZero();
        assertThat(storedKeyIds()).containsExactly(k3);
        assertThat(keysA.currentId()).isEqualTo(k3);
        Session fresh = await(a.create(IDP, state("bob", "sid-2", List.of()), 3_600_000));
        assertThat(await(b.load(fresh.handle())).caller().identity().subject()).isEqualTo("bob");
    }

    private String rotateOnA() throws Exception {
        return onWorker(() -> {
            keysA.rotateIfDueAndLoad();
            return keysA.currentId();
        });
    }

    private List<String> storedKeyIds() throws Exception {
        return onWorker(() -> {
            try (Connection c = db.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT key_id FROM session_keys ORDER BY created_ms")) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                c.commit();
                return ids;
            }
        });
    }

    @Test
    void endingBySidOrSubjectReachesTheOtherReplicasCache() throws Exception {
        Session s1 = await(a.create(IDP, state("alice", "sid-1", List.of()), 3_600_000));
        Session s2 = await(a.create(IDP, state("alice", "sid-2", List.of()), 3_600_000));
        Session s3 = await(a.create(IDP, state("bob", "sid-3", List.of()), 3_600_000));
        Session onB1 = await(b.load(s1.handle()));
        Session onB2 = await(b.load(s2.handle()));
        Session onB3 = await(b.load(s3.handle()));
        List<String> ended = new ArrayList<>();
        b.onEnded(s -> ended.add(s.id()));

        assertThat(onWorker(() -> a.endBySid("corp", "sid-1"))).isEqualTo(1);
        assertThat(onB1.ended()).isTrue();
        assertThat(b.cached(s1.handle())).isNull();
        assertThat(onB2.ended()).isFalse();

        assertThat(onWorker(() -> a.endBySubject("corp", "alice"))).isEqualTo(1);
        assertThat(onB2.ended()).isTrue();
        assertThat(onB3.ended()).isFalse();
        assertThat(onWorker(() -> a.endBySubject("other-idp", "bob"))).as("a sub is unique only within its IdP")
                .isZero();

        assertThat(onWorker(() -> b.endSession(s3.id()))).isTrue();
        assertThat(s3.ended()).as("ended on A by B").isTrue();
        assertThat(ended).containsExactly(s1.id(), s2.id(), s3.id());
        assertThat(await(a.load(s3.handle()))).isNull();
    }

    static SessionState deviceState(String sub, String sid, String device) {
        return new SessionState(Map.of("sub", sub, "sid", sid, "email", sub + "@example.com", "email_verified", true,
                "device_id", device), "id.token.secret-id-token", "secret-access-token", "secret-refresh-token",
                System.currentTimeMillis() + 300_000);
    }

    @Test
    void anAdminListsAUsersSessionsWithoutHandlesOrTokensAndEndsOneOnEveryReplica() throws Exception {
        Session laptop = await(a.create(IDP, deviceState("carol", "sid-l", "carol-laptop"), 3_600_000, "wiki",
                "wiki.corp.test"));
        clock.advance(Duration.ofSeconds(5));
        Session phone = await(b.create(IDP, deviceState("carol", "sid-p", "carol-phone"), 3_600_000, "chat",
                "chat.corp.test"));
        Session other = await(a.create(IDP, deviceState("dan", "sid-d", "dan-laptop"), 3_600_000));

        List<SessionSummary> listed = onWorker(() -> b.listBySubject("carol", List.of("corp", "gone")));
        assertThat(listed).extracting(SessionSummary::id).as("newest first, only carol's")
                .containsExactly(phone.id(), laptop.id());
        SessionSummary first = listed.get(1);
        assertThat(first.idpId()).isEqualTo("corp");
        assertThat(first.subject()).isEqualTo("carol");
        assertThat(first.email()).isEqualTo("carol@example.com");
        assertThat(first.deviceId()).isEqualTo("carol-laptop");
        assertThat(first.appId()).isEqualTo("wiki");
        assertThat(first.host()).isEqualTo("wiki.corp.test");
        assertThat(first.createdMs()).isEqualTo(laptop.createdMs());
        assertThat(first.expiresMs()).isEqualTo(laptop.expiresMs());
        assertThat(first.readable()).isTrue();
        assertThat(listed.toString()).doesNotContain(laptop.handle()).doesNotContain(phone.handle())
                .doesNotContain("secret");
        assertThat(onWorker(() -> a.listBySubject("carol", List.of("other-idp")))).isEmpty();
        assertThat(onWorker(() -> a.listBySubject("dan", List.of("corp")))).extracting(SessionSummary::id)
                .containsExactly(other.id());

        Session laptopOnB = await(b.load(laptop.handle()));
        dev.gatehouse.store.AuditLog audit = new dev.gatehouse.store.AuditLog(db, clock);
        dev.gatehouse.store.Actor admin = new dev.gatehouse.store.Actor("olivia", "corp");
        assertThat(onWorker(() -> a.endSessionAudited(laptop.id(), audit, admin, "10.0.0.1", "req-1"))).isTrue();
        assertThat(laptop.ended()).isTrue();
        assertThat(laptopOnB.ended()).as("ended on B too").isTrue();
        assertThat(await(b.load(laptop.handle()))).isNull();
        assertThat(phone.ended()).isFalse();
        assertThat(onWorker(() -> a.endSessionAudited(laptop.id(), audit, admin, "10.0.0.1", "req-2"))).isFalse();
        assertThat(onWorker(() -> b.listBySubject("carol", List.of("corp")))).extracting(SessionSummary::id)
                .containsExactly(phone.id());

        List<dev.gatehouse.store.AuditEntry> entries = onWorker(() -> audit.query(null, null, null, null, null, 10));
        assertThat(entries).extracting(e -> e.event().action() + " " + e.event().outcome())
                .contains("session.delete ok", "session.delete not-found");
        assertThat(entries).allSatisfy(e -> assertThat(e.event().detail()).contains(laptop.id()));
    }

    @Test
    void aRefreshOnOneReplicaReachesTheOther() throws Exception {
        Session s = await(a.create(IDP, state("alice", "sid-1", List.of("eng")), 3_600_000));
        Session onB = await(b.load(s.handle()));
        var keyBefore = onB.caller().cacheKey();
        await(a.replaceState(s, state("alice", "sid-1", List.of("sales")), IDP));
        assertThat(onB.caller().identity().groups()).containsExactly("sales");
        assertThat(onB.caller().cacheKey()).as("a new assertion, not the cached one with old claims")
                .isNotEqualTo(keyBefore);
    }

    @Test
    void sessionsAreFoundByTheirVerifiedEmailWhichFollowsARefresh() throws Exception {
        Session s = await(a.create(IDP, state("alice", "sid-1", List.of("eng")), 3_600_000));
        assertThat(onWorker(() -> b.listByEmail("Alice@Example.COM"))).extracting(SessionSummary::id, SessionSummary::subject)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(s.id(), "alice"));
        SessionState moved = new SessionState(Map.of("sub", "alice", "sid", "sid-1", "email", "alice@new.example",
                "email_verified", true), "id.token.x", "access", "refresh", System.currentTimeMillis() + 300_000);
        await(a.replaceState(s, moved, IDP));
        assertThat(onWorker(() -> b.listByEmail("alice@example.com"))).isEmpty();
        assertThat(onWorker(() -> b.listByEmail("alice@new.example"))).extracting(SessionSummary::id).containsExactly(s.id());
        SessionState unverified = new SessionState(Map.of("sub", "alice", "sid", "sid-1", "email", "alice@new.example",
                "email_verified", false), "id.token.x", "access", "refresh", System.currentTimeMillis() + 300_000);
        await(a.replaceState(s, unverified, IDP));
        assertThat(onWorker(() -> b.listByEmail("alice@new.example"))).as("an unverified email finds nothing").isEmpty();
    }

    @Test
    void aSessionOfAnIdpWithOtherSettingsIsRefused() throws Exception {
        Session s = await(a.create(IDP, state("alice", "sid-1", List.of()), 3_600_000));
        IdpConfig moved = new IdpConfig("corp", "https://elsewhere.example", "gatehouse", "web", "s",
                ClaimPaths.DEFAULTS, false);
        SessionRepository c = new SessionRepository(new SessionStore(db), keysB, events, vertx, clock, id -> moved);
        assertThat(await(c.load(s.handle()))).isNull();
    }

    <T> T onWorker(java.util.concurrent.Callable<T> work) throws Exception {
        return await(vertx.executeBlocking(work, false));
    }
}
