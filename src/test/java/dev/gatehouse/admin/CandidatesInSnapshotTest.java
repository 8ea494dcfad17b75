package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.AppHistory;
import dev.gatehouse.config.CandidatePolicy;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.lifecycle.SnapshotPublisher;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.CandidateStore;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How candidate policies reach the snapshot: compiled once from the store, published with the
 * config for the apps in force, kept across reloads of the file, caught up by a periodic refresh
 * when a change notice was lost, and never counted as an app change (no re-check, no new version).
 */
class CandidatesInSnapshotTest {
    static final String IDPS = "idps:\n  corp: {issuer: https://login.example.com, audience: gatehouse}\n";
    static final Actor ADMIN = new Actor("a", "corp");

    SnapshotHolder holder;
    CandidateStore candidates;
    EffectiveConfig effective;
    AtomicInteger rechecks = new AtomicInteger();

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Migrations.migrate(ds);
        Database db = new Database(ds, Database.H2);
        AuditLog audit = new AuditLog(db, Clock.systemUTC());
        candidates = new CandidateStore(db, audit);
        holder = new SnapshotHolder();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SnapshotPublisher publisher = new SnapshotPublisher(holder, new ConfigMetrics(meters),
                new GatewayMetrics(meters), rechecks::incrementAndGet);
        effective = new EffectiveConfig(publisher, new AppStore(db, audit), candidates, "admin.localhost");
    }

    static Function<AppHistory, ConfigLoader.Loaded> file(String... ids) {
        StringBuilder apps = new StringBuilder();
        for (String id : ids) {
            apps.append("  - {id: ").append(id).append(", host: ").append(id).append(".test, upstream: http://10.0.0.1, ")
                    .append("idp: corp, policy: {allow: {accept: true}}}\n");
        }
        return history -> new ConfigLoader().parseWithDocuments(IDPS + "apps:\n" + apps, "test.yaml", history);
    }

    CandidatePolicy inForce(String app) {
        return holder.current().config().candidates().get(app);
    }

    void set(String app, Long expected, String policy) {
        candidates.write(app, expected, policy, null, ADMIN, null, "r");
    }

    @Test
    void storedCandidatesOfAppsInForceArePublished() {
        set("wiki", null, "{\"allow\":{\"reject\":true}}");
        set("gone", null, "{\"allow\":{\"reject\":true}}");
        effective.start(file("wiki"));
        assertThat(inForce("wiki").version()).isEqualTo(1);
        assertThat(inForce("wiki").policy().hasAllowRule()).isTrue();
        assertThat(inForce("gone")).as("no app in force, nothing to shadow").isNull();
        effective.fileChanged(file("wiki", "docs"));
        assertThat(inForce("wiki")).as("kept across a reload of the file").isNotNull();
    }

    @Test
    void aChangeIsCompiledOnceAndIsNoAppChange() {
        effective.start(file("wiki"));
        long version = holder.current().routes().byId("wiki").app().policy().version();
        int before = rechecks.get();
        set("wiki", null, "{\"allow\":{\"reject\":true}}");
        effective.candidateChanged("wiki");
        CandidatePolicy first = inForce("wiki");
        first.count(true, false);
        effective.candidateChanged("wiki"); // a duplicate notice
        assertThat(inForce("wiki")).as("same version: same instance, tallies kept").isSameAs(first);
        assertThat(inForce("wiki").allowToDeny()).isEqualTo(1);
        set("wiki", 1L, "{\"allow\":{\"accept\":true}}");
        effective.candidateChanged("wiki");
        assertThat(inForce("wiki").version()).isEqualTo(2);
        assertThat(inForce("wiki").evaluated()).as("a new candidate starts at zero").isZero();
        assertThat(rechecks.get()).as("open connections are not re-checked for a candidate").isEqualTo(before);
        assertThat(holder.current().routes().byId("wiki").app().policy().version()).isEqualTo(version);
        set("wiki", 2L, null);
        effective.candidateChanged("wiki");
        assertThat(inForce("wiki")).isNull();
    }

    @Test
    void aRefreshCatchesUpOnLostNotices() {
        effective.start(file("wiki", "docs"));
        set("wiki", null, "{\"allow\":{\"reject\":true}}");
        set("docs", null, "{\"allow\":{\"reject\":true}}");
        assertThat(inForce("wiki")).as("no notice yet").isNull();
        effective.refreshCandidates();
        assertThat(inForce("wiki")).isNotNull();
        CandidatePolicy docs = inForce("docs");
        set("wiki", 1L, null);
        effective.refreshCandidates();
        assertThat(inForce("wiki")).isNull();
        assertThat(inForce("docs")).as("unchanged: kept").isSameAs(docs);
    }
}
