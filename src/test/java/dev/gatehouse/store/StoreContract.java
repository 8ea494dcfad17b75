package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, run against each database it supports ({@link H2StoreTest},
 * {@link PostgresStoreTest}): optimistic writes, history, routes, and the hash-chained audit log
 * with tampering found by plain JDBC edits.
 */
abstract class StoreContract {
    static final Actor ALICE = new Actor("alice", "corp");

    Database db;
    AppStore apps;
    AuditLog audit;
    AuditVerifier verifier;

    /** A fresh, empty, unmigrated database for one test. */
    abstract DataSource freshDatabase() throws Exception;

    abstract String name();

    @BeforeEach
    void setUp() throws Exception {
        DataSource ds = freshDatabase();
        Migrations.migrate(ds);
        db = new Database(ds, name());
        audit = new AuditLog(db, Clock.systemUTC());
        apps = new AppStore(db, audit);
        verifier = new AuditVerifier(db);
    }

    static AppWrite create(String id, String doc, String route) {
        return new AppWrite(AppWrite.Kind.CREATE, id, null, doc, route, "first", null, ALICE, "192.0.2.1", "r1");
    }

    static AppWrite replace(String id, long expected, String doc, String route) {
        return new AppWrite(AppWrite.Kind.REPLACE, id, expected, doc, route, null, null, ALICE, "192.0.2.1", "r2");
    }

    @Test
    void versionsAreImmutableAndWritesAreOptimistic() {
        WriteResult first = apps.write(create("wiki", "{\"a\":1}", "wiki.test /"));
        assertThat(first.outcome()).isEqualTo(WriteResult.Outcome.OK);
        assertThat(first.written().version()).isEqualTo(1);
        assertThat(apps.write(create("wiki", "{\"a\":2}", "wiki.test /")).outcome())
                .as("create of a live app").isEqualTo(WriteResult.Outcome.STALE);
        assertThat(apps.write(replace("wiki", 1, "{\"a\":2}", "wiki.test /")).written().version()).isEqualTo(2);
        WriteResult stale = apps.write(replace("wiki", 1, "{\"a\":3}", "wiki.test /"));
        assertThat(stale.outcome()).isEqualTo(WriteResult.Outcome.STALE);
        assertThat(stale.current()).isEqualTo(2);
        assertThat(apps.versions("wiki", null, 10)).extracting(AppVersion::version).containsExactly(2L, 1L);
        assertThat(apps.version("wiki", 1).orElseThrow().document()).isEqualTo("{\"a\":1}");
        assertThat(apps.version("wiki", 1).orElseThrow().contentHash()).isEqualTo(AuditChain.sha256("{\"a\":1}"));
        assertThat(apps.latest("wiki").orElseThrow().author()).isEqualTo(ALICE);
    }

    @Test
    void deleteIsAVersionAndCreateAfterDeleteContinuesTheHistory() {
        apps.write(create("wiki", "{}", "wiki.test /"));
        WriteResult del = apps.write(new AppWrite(AppWrite.Kind.DELETE, "wiki", 1L, null, null, null, null, ALICE,
                null, "r3"));
        assertThat(del.written().deleted()).isTrue();
        assertThat(apps.live()).isEmpty();
        assertThat(apps.write(new AppWrite(AppWrite.Kind.DELETE, "wiki", 2L, null, null, null, null, ALICE, null, "r4"))
                .outcome()).isEqualTo(WriteResult.Outcome.NOT_FOUND);
        assertThat(apps.write(create("other", "{}", "wiki.test /")).outcome())
                .as("a deleted app frees its route").isEqualTo(WriteResult.Outcome.OK);
        assertThat(apps.write(create("wiki", "{}", "wiki2.test /")).written().version()).isEqualTo(3);
    }

    @Test
    void twoAppsCannotClaimOneRoute() {
        apps.write(create("a", "{}", "x.test /"));
        WriteResult clash = apps.write(create("b", "{}", "x.test /"));
        assertThat(clash.outcome()).isEqualTo(WriteResult.Outcome.ROUTE_TAKEN);
        assertThat(clash.conflict()).isEqualTo("a");
        assertThat(apps.latest("b")).isEmpty();
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void everyAttemptIsAuditedOnceAndTheChainVerifies() {
        apps.write(create("wiki", "{}", "wiki.test /"));
        apps.write(replace("wiki", 7, "{}", "wiki.test /"));
        audit.record(new AuditEvent(Actor.ANONYMOUS, "admin.refused", null, "198.51.100.9", "r9", "unauthenticated",
                null));
        List<AuditEntry> entries = audit.query(null, null, null, null, null, 10);
        assertThat(entries).extracting(e -> e.event().outcome())
                .containsExactly("unauthenticated", "precondition-failed", "ok");
        assertThat(audit.query("wiki", "alice", null, null, null, 10)).hasSize(2);
        assertThat(audit.query(null, null, null, null, 3L, 10)).extracting(AuditEntry::seq).containsExactly(2L, 1L);
        AuditVerifier.Result r = verifier.verify();
        assertThat(r.ok()).isTrue();
        assertThat(r.entries()).isEqualTo(3);
        assertThat(r.head()).isEqualTo(entries.get(0).hash());
    }

    @Test
    void anEditedEntryIsFound() throws Exception {
        for (int i = 0; i < 3; i++) {
            audit.record(new AuditEvent(ALICE, "app.replace", "wiki", null, "r" + i, "ok", "{\"n\":" + i + "}"));
        }
        sql("UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 2");
        AuditVerifier.Result r = verifier.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenAt()).isEqualTo(2);
    }

    @Test
    void aRemovedEntryIsFoundTheLastOneToo() throws Exception {
        for (int i = 0; i < 4; i++) {
            audit.record(new AuditEvent(ALICE, "app.replace", "wiki", null, "r" + i, "ok", null));
        }
        sql("DELETE FROM audit_log WHERE seq = 4");
        assertThat(verifier.verify().brokenAt()).as("last entry removed").isEqualTo(4);
        sql("DELETE FROM audit_log WHERE seq = 2");
        assertThat(verifier.verify().brokenAt()).as("middle entry removed").isEqualTo(2);
    }

    @Test
    void concurrentWritersEachLandOrAreStale() throws Exception {
        apps.write(create("wiki", "{\"n\":0}", "wiki.test /"));
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<WriteResult>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                go.await();
                return apps.write(replace("wiki", 1, "{\"n\":" + (n + 1) + "}", "wiki.test /"));
            }));
        }
        go.countDown();
        int landed = 0;
        for (Future<WriteResult> f : results) {
            WriteResult r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.outcome()).isIn(WriteResult.Outcome.OK, WriteResult.Outcome.STALE);
            landed += r.outcome() == WriteResult.Outcome.OK ? 1 : 0;
        }
        pool.shutdown();
        assertThat(landed).as("all expected version 1: exactly one lands").isEqualTo(1);
        assertThat(apps.versions("wiki", null, 100)).hasSize(2);
        assertThat(audit.query(null, null, null, null, null, 100)).hasSize(1 + writers);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void neverOnAnEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                try {
                    db.connection().close();
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        } finally {
            vertx.close();
        }
    }

    void sql(String statement) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
            c.commit();
        }
    }

    @Test
    void candidatesAreVersionedAuditedAndRemovedByTheirPromotion() {
        CandidateStore candidates = new CandidateStore(db, audit);
        apps.write(create("wiki", "{\"policy\":1}", "wiki.test /"));
        assertThat(candidates.write("wiki", null, null, null, ALICE, null, "c0").outcome())
                .as("nothing to remove").isEqualTo(WriteResult.Outcome.NOT_FOUND);
        assertThat(candidates.write("wiki", 1L, "{\"c\":1}", null, ALICE, null, "c0").outcome())
                .as("If-Match without a candidate").isEqualTo(WriteResult.Outcome.STALE);
        CandidateStore.Result set = candidates.write("wiki", null, "{\"c\":1}", "try it", ALICE, "192.0.2.1", "c1");
        assertThat(set.outcome()).isEqualTo(WriteResult.Outcome.OK);
        assertThat(set.written().version()).isEqualTo(1);
        assertThat(candidates.write("wiki", null, "{\"c\":2}", null, ALICE, null, "c2").outcome())
                .as("create over a candidate").isEqualTo(WriteResult.Outcome.STALE);
        assertThat(candidates.write("wiki", 1L, "{\"c\":2}", null, ALICE, null, "c3").written().version()).isEqualTo(2);
        assertThat(candidates.write("wiki", 1L, "{\"c\":3}", null, ALICE, null, "c4").current()).isEqualTo(2);
        assertThat(candidates.all()).extracting(Candidate::policy).containsExactly("{\"c\":2}");

        AppWrite stalePromotion = new AppWrite(AppWrite.Kind.PROMOTE, "wiki", 1L, "{\"policy\":2}", "wiki.test /",
                "go", 1L, ALICE, null, "p1");
        assertThat(apps.write(stalePromotion).outcome()).as("candidate 1 is not the current one")
                .isEqualTo(WriteResult.Outcome.STALE);
        assertThat(apps.latest("wiki").orElseThrow().version()).isEqualTo(1);
        assertThat(candidates.current("wiki")).isPresent();
        WriteResult promoted = apps.write(new AppWrite(AppWrite.Kind.PROMOTE, "wiki", 1L, "{\"policy\":2}",
                "wiki.test /", "go", 2L, ALICE, null, "p2"));
        assertThat(promoted.outcome()).isEqualTo(WriteResult.Outcome.OK);
        assertThat(promoted.written().version()).isEqualTo(2);
        assertThat(candidates.current("wiki")).as("removed with the promotion").isEmpty();
        assertThat(candidates.latest("wiki").orElseThrow().version()).isEqualTo(3);
        assertThat(candidates.write("wiki", null, "{\"c\":4}", null, ALICE, null, "c5").written().version())
                .as("versions keep counting: an old ETag never matches").isEqualTo(4);

        List<String> actions = audit.query("wiki", null, null, null, null, 20).stream()
                .map(e -> e.event().action() + ":" + e.event().outcome()).toList();
        assertThat(actions).containsExactly("candidate.set:ok", "app.promote:ok", "app.promote:precondition-failed",
                "candidate.set:precondition-failed", "candidate.set:ok", "candidate.set:precondition-failed",
                "candidate.set:ok", "candidate.set:precondition-failed", "candidate.remove:not-found", "app.create:ok");
        assertThat(verifier.verify().ok()).isTrue();
    }
}
