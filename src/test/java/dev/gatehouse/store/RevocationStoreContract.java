package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.revoke.Revocation;
import dev.gatehouse.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revocations and used logout-token ids in the store (migration V4), and used sign-in states (V6),
 * on each database: a write is audited in its own transaction and keeps the chain valid; expired
 * entries drop out; a {@code jti} is accepted once per IdP, a sign-in state once across replicas.
 */
abstract class RevocationStoreContract {
    static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    Database db;
    AuditLog audit;
    RevocationStore store;
    LogoutTokenIds ids;
    MutableClock clock;

    abstract DataSource freshDatabase() throws Exception;

    abstract String name();

    @BeforeEach
    void setUp() throws Exception {
        DataSource ds = freshDatabase();
        Migrations.migrate(ds);
        db = new Database(ds, name());
        clock = new MutableClock(T0);
        audit = new AuditLog(db, clock);
        store = new RevocationStore(db, audit);
        ids = new LogoutTokenIds(db, clock);
    }

    static Revocation revocation(String id, Revocation.Kind kind, String target, String idp, Instant expires) {
        return new Revocation(id, kind, target, idp, expires, "why", T0, "admin", "corp");
    }

    @Test
    void createListDeleteAreAuditedAndTheChainHolds() {
        store.create(revocation("rv-1", Revocation.Kind.USER, "alice", "corp", T0.plusSeconds(3600)), "192.0.2.1", "r1");
        store.create(revocation("rv-2", Revocation.Kind.DEVICE, "laptop", null, T0.plusSeconds(60)), null, "r2");
        List<Revocation> active = store.active(T0);
        assertThat(active).extracting(Revocation::id).containsExactly("rv-1", "rv-2");
        assertThat(active.get(0)).isEqualTo(revocation("rv-1", Revocation.Kind.USER, "alice", "corp",
                T0.plusSeconds(3600)));
        assertThat(store.active(T0.plusSeconds(60))).extracting(Revocation::id).as("rv-2 expired").containsExactly("rv-1");

        assertThat(store.delete("rv-1", new Actor("admin", "corp"), null, "r3")).isPresent();
        assertThat(store.delete("rv-1", new Actor("admin", "corp"), null, "r4")).isEmpty();
        assertThat(store.find("rv-1")).isEmpty();

        List<AuditEntry> entries = audit.query(null, "admin", null, null, null, 10);
        assertThat(entries).extracting(e -> e.event().action() + " " + e.event().outcome())
                .containsExactly("revocation.delete not-found", "revocation.delete ok", "revocation.create ok",
                        "revocation.create ok");
        assertThat(entries.get(3).event().detail()).contains("\"user\":\"alice\"", "\"idp\":\"corp\"");
        assertThat(new AuditVerifier(db).verify().ok()).isTrue();

        assertThat(store.purgeExpired(T0.plusSeconds(61))).isEqualTo(1);
        assertThat(store.find("rv-2")).isEmpty();
    }

    @Test
    void aLogoutTokenIdIsAcceptedOncePerIdpUntilItExpires() {
        long until = T0.plusSeconds(300).toEpochMilli();
        assertThat(ids.firstUse("corp", "jti-1", until)).isTrue();
        assertThat(ids.firstUse("corp", "jti-1", until)).as("replay").isFalse();
        assertThat(ids.firstUse("partner", "jti-1", until)).as("another IdP's jti").isTrue();
        clock.advance(java.time.Duration.ofSeconds(301));
        assertThat(ids.firstUse("corp", "jti-1", until + 300_000)).as("forgotten once expired (the token is too "
                + "old to be accepted by then anyway)").isTrue();
    }

    @Test
    void aSignInStateIsUsedOnceAcrossReplicasUntilItExpires() {
        SpentSignInStates onA = new SpentSignInStates(db, clock);
        SpentSignInStates onB = new SpentSignInStates(db, clock); // another replica, same database
        long until = T0.plusSeconds(660).toEpochMilli();
        assertThat(onA.firstUse("a".repeat(64), until)).isTrue();
        assertThat(onB.firstUse("a".repeat(64), until)).as("the callback replayed to another replica").isFalse();
        assertThat(onB.firstUse("b".repeat(64), until)).isTrue();
        clock.advance(java.time.Duration.ofSeconds(661));
        assertThat(onA.firstUse("a".repeat(64), until + 660_000)).as("forgotten once the sign-in is too old anyway")
                .isTrue();
    }
}
