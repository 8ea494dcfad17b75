package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.AppHistory;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.lifecycle.SnapshotPublisher;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.route.SnapshotUpdate;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AppWrite;
import dev.gatehouse.store.AuditLog;
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
 * How the file's apps and the store's meet in one snapshot, published through the reload engine's
 * {@link SnapshotPublisher}: the file wins on ids and routes, a stored app that no longer validates
 * is left out, the admin host is no app's, a late publish of an older version never undoes a newer
 * one, a reload of the file keeps the API's apps, and API apps get per-app policy versions.
 */
class EffectiveConfigTest {
    SnapshotHolder holder;
    SimpleMeterRegistry meters;
    AppStore store;
    EffectiveConfig effective;
    AtomicInteger rechecks = new AtomicInteger();

    static final String IDPS = "idps:\n  corp: {issuer: https://login.example.com, audience: gatehouse}\n";

    JdbcDataSource dataSource;

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        dataSource = ds;
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Migrations.migrate(ds);
        Database db = new Database(ds, Database.H2);
        store = new AppStore(db, new AuditLog(db, Clock.systemUTC()));
        holder = new SnapshotHolder();
        meters = new SimpleMeterRegistry();
        SnapshotPublisher publisher = new SnapshotPublisher(holder, new ConfigMetrics(meters),
                new GatewayMetrics(meters), rechecks::incrementAndGet);
        effective = new EffectiveConfig(publisher, store, "admin.localhost");
    }

    static Function<AppHistory, ConfigLoader.Loaded> file(String apps) {
        return history -> new ConfigLoader().parseWithDocuments(IDPS + "apps:\n" + apps, "test.yaml", history);
    }

    double version(String app) {
        return meters.find("gatehouse.policy.version").tag("app", app).gauge().value();
    }

    static String app(String id, String host) {
        return "  - {id: " + id + ", host: " + host + ", upstream: http://10.0.0.1, idp: corp, policy: {allow: {accept: true}}}\n";
    }

    void stored(String id, String host, String idp) {
        String doc = "{\"host\":\"" + host + "\",\"id\":\"" + id + "\",\"idp\":\"" + idp + "\",\"policy\":{\"allow\":"
                + "{\"accept\":true}},\"upstream\":\"http://10.0.0.2\"}";
        store.write(new AppWrite(AppWrite.Kind.CREATE, id, null, doc, host + " /", null, null, new Actor("a", "corp"),
                null, "r"));
    }

    @Test
    void fileAndStoreAppsMakeOneSnapshotWithTheirVersions() {
        stored("api-one", "one.test", "corp");
        effective.start(file(app("wiki", "wiki.test")));
        assertThat(holder.current().routes().match("one.test", "/").id()).isEqualTo("api-one");
        assertThat(holder.current().routes().match("wiki.test", "/").id()).isEqualTo("wiki");
        assertThat(effective.fileDocument("wiki")).isNotNull();
        assertThat(meters.find("gatehouse.policy.version").tag("app", "api-one").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theFileWinsAndInvalidStoredAppsAreLeftOut() {
        stored("wiki", "stored-wiki.test", "corp");
        stored("squatter", "wiki.test", "corp");
        stored("orphan", "orphan.test", "gone-idp");
        stored("fine", "fine.test", "corp");
        effective.start(file(app("wiki", "wiki.test")));
        assertThat(holder.current().routes().match("stored-wiki.test", "/")).as("file id wins").isNull();
        assertThat(holder.current().routes().match("wiki.test", "/").id()).as("file route wins").isEqualTo("wiki");
        assertThat(holder.current().routes().match("orphan.test", "/")).as("IdP gone").isNull();
        assertThat(holder.current().routes().match("fine.test", "/").id()).isEqualTo("fine");
        assertThat(effective.apiAppCount()).isEqualTo(1);
    }

    @Test
    void noFileAppMayClaimTheAdminHost() {
        assertThatThrownBy(() -> effective.start(file(app("wiki", "wiki.test") + app("admin", "Admin.Localhost"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("apps[1].host");
    }

    @Test
    void anOlderVersionPublishedLateChangesNothing() {
        effective.start(file(app("wiki", "wiki.test")));
        stored("late", "late.test", "corp");
        var v1 = store.latest("late").orElseThrow();
        String doc2 = v1.document().replace("late.test", "late2.test");
        var v2 = store.write(new AppWrite(AppWrite.Kind.REPLACE, "late", 1L, doc2, "late2.test /", null, null,
                new Actor("a", "corp"), null, "r")).written();
        effective.applied(v2);
        effective.applied(v1);
        assertThat(holder.current().routes().match("late2.test", "/").id()).isEqualTo("late");
        assertThat(holder.current().routes().match("late.test", "/")).isNull();
    }

    @Test
    void aFileReloadKeepsTheApiAppsAndTheirVersions() {
        stored("api-one", "one.test", "corp");
        effective.start(file(app("wiki", "wiki.test")));
        AppRoute before = holder.current().routes().byId("api-one");
        int rechecksBefore = rechecks.get();

        SnapshotUpdate update = effective.fileChanged(file(app("wiki", "wiki.test") + app("docs", "docs.test")));
        assertThat(update.added()).containsExactly("docs");
        assertThat(update.changed()).isEmpty();
        assertThat(update.removed()).isEmpty();
        assertThat(holder.current().routes().match("one.test", "/").id()).isEqualTo("api-one");
        assertThat(holder.current().routes().byId("api-one")).as("unchanged: not compiled again").isSameAs(before);
        assertThat(holder.current().routes().match("docs.test", "/").id()).isEqualTo("docs");
        assertThat(version("api-one")).isEqualTo(1.0);
        assertThat(effective.apiAppCount()).isEqualTo(1);
        assertThat(rechecks.get()).as("open connections re-checked").isEqualTo(rechecksBefore + 1);
    }

    @Test
    void aFileThatClaimsAnApiAppsRouteWinsUntilItLetsGo() {
        stored("api-one", "one.test", "corp");
        effective.start(file(app("wiki", "wiki.test")));

        effective.fileChanged(file(app("wiki", "wiki.test") + app("taker", "one.test")));
        assertThat(holder.current().routes().match("one.test", "/").id()).isEqualTo("taker");
        assertThat(effective.apiAppCount()).isZero();
        assertThat(meters.find("gatehouse.policy.version").tag("app", "api-one").gauge()).as("series gone").isNull();

        effective.fileChanged(file(app("wiki", "wiki.test")));
        assertThat(holder.current().routes().match("one.test", "/").id()).as("back").isEqualTo("api-one");
        assertThat(version("api-one")).as("the same definition keeps its version").isEqualTo(1.0);
    }

    @Test
    void aBadFileChangesNothing() {
        stored("api-one", "one.test", "corp");
        effective.start(file(app("wiki", "wiki.test")));
        var before = holder.current();
        assertThatThrownBy(() -> effective.fileChanged(file(app("wiki", "wiki.test") + "  - {id: broken}\n")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> effective.fileChanged(file(app("wiki", "admin.localhost"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("admin API's host");
        assertThat(holder.current()).isSameAs(before);
        assertThat(effective.fileApp("wiki").orElseThrow().host()).isEqualTo("wiki.test");
    }

    @Test
    void anApiAppsPolicyVersionMovesWhenItsDefinitionChanges() {
        effective.start(file(app("wiki", "wiki.test")));
        stored("moving", "moving.test", "corp");
        var v1 = store.latest("moving").orElseThrow();
        effective.applied(v1);
        assertThat(version("moving")).isEqualTo(1.0);
        String doc2 = v1.document().replace("http://10.0.0.2", "http://10.0.0.3");
        var v2 = store.write(new AppWrite(AppWrite.Kind.REPLACE, "moving", 1L, doc2, "moving.test /", null, null,
                new Actor("a", "corp"), null, "r")).written();
        effective.applied(v2);
        assertThat(version("moving")).isEqualTo(2.0);
        assertThat(holder.current().routes().byId("moving").app().policy().version()).isEqualTo(2);
        effective.fileChanged(file(app("wiki", "wiki.test") + app("other", "other.test")));
        assertThat(version("moving")).as("a file reload leaves it alone").isEqualTo(2.0);
    }

    @Test
    void anotherReplicasWriteIsPutInForceAtItsStoreVersion() {
        effective.start(file(app("wiki", "wiki.test")));
        stored("remote", "remote.test", "corp"); // written by another replica: only the store knows
        assertThat(holder.current().routes().match("remote.test", "/")).isNull();
        assertThat(effective.knownVersions()).doesNotContainKey("remote");
        effective.refresh("remote");
        assertThat(holder.current().routes().match("remote.test", "/").id()).isEqualTo("remote");
        var v1 = store.latest("remote").orElseThrow();
        // a comment-only write: the same definition, the next store version
        store.write(new AppWrite(AppWrite.Kind.REPLACE, "remote", 1L, v1.document(), "remote.test /", "why", null,
                new Actor("a", "corp"), null, "r"));
        effective.refresh("remote");
        effective.refresh("remote"); // the notice heard twice (its own and the periodic check): no change
        assertThat(version("remote")).as("the store's version, the same on every replica").isEqualTo(2.0);
        assertThat(effective.knownVersions()).containsEntry("remote", 2L);
    }

    @Test
    void aReplicaStartedWithoutTheStoreServesTheFileAndTakesTheStoresAppsLater() throws Exception {
        stored("api-one", "one.test", "corp");
        boolean[] down = {true};
        javax.sql.DataSource real = dataSource;
        javax.sql.DataSource flaky = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, m, args) -> {
                    if (down[0] && m.getName().equals("getConnection")) {
                        throw new java.sql.SQLException("Connection refused");
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Database db = new Database(flaky, Database.H2);
        AppStore flakyStore = new AppStore(db, new AuditLog(db, Clock.systemUTC()));
        SnapshotPublisher publisher = new SnapshotPublisher(holder, new ConfigMetrics(meters),
                new GatewayMetrics(meters), rechecks::incrementAndGet);
        EffectiveConfig replica = new EffectiveConfig(publisher, flakyStore, "admin.localhost");

        replica.start(file(app("wiki", "wiki.test")));
        assertThat(replica.storeLoaded()).isFalse();
        assertThat(db.status().state().reachable()).isFalse();
        assertThat(holder.current().routes().match("wiki.test", "/").id()).isEqualTo("wiki");
        assertThat(holder.current().routes().match("one.test", "/")).isNull();

        down[0] = false;
        replica.storeReturned(flakyStore.live());
        assertThat(replica.storeLoaded()).isTrue();
        assertThat(holder.current().routes().match("one.test", "/").id()).isEqualTo("api-one");
        assertThat(holder.current().routes().match("wiki.test", "/").id()).isEqualTo("wiki");
    }
}
