package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotHolder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe fetches an IdP's documents through Vert.x's HTTP client until its keys were fetched once,
 * and through the JDK's afterwards, so that the once-a-minute re-check never runs the data plane's
 * compiled forwarding code with other types (BENCHMARKS.md, issue 13 round nine: every re-check
 * through Vert.x's client threw away ~120 compiled methods). And the JDK fetcher itself, against a
 * real IdP server: documents, refusals, where answers are delivered.
 */
class IdpKeyProbeRecheckTest {
    private Vertx vertx;
    private ProbeTestIdp idp;

    @BeforeEach
    void startIdp() throws Exception {
        vertx = Vertx.vertx();
        idp = ProbeTestIdp.start(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Records the URLs it was asked for, then fetches them with {@code real}. */
    private static final class Recording implements IdpDocuments {
        final List<String> urls = new CopyOnWriteArrayList<>();
        private final IdpDocuments real;

        Recording(IdpDocuments real) {
            this.real = real;
        }

        @Override
        public Future<JsonObject> get(IdpConfig idp, String url) {
            urls.add(url);
            return real.get(idp, url);
        }
    }

    @Test
    void theFirstFetchGoesThroughVertxEveryLaterOneThroughTheJdkClient() throws Exception {
        SnapshotHolder holder = new SnapshotHolder();
        holder.swap(Snapshot.of(new ConfigLoader().parse("idps:\n  corp: {issuer: '" + idp.base()
                + "', audience: gatehouse}\napps: []\n", "test"), 1));
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        Context context = vertx.getOrCreateContext();
        Recording first = new Recording(new VertxIdpDocuments(vertx));
        Recording later = new Recording(new JdkIdpDocuments(context));
        IdpKeyProbe probe = new IdpKeyProbe(vertx, holder, clock, new JwksKeys(), context, first, later);

        probe.configInForce(); // no StartupEvent: no timer; each call is one tick
        await(() -> probe.states().get("corp").fetchedOnce());
        assertThat(first.urls).containsExactly(idp.base() + "/.well-known/openid-configuration", idp.base() + "/certs");
        assertThat(later.urls).isEmpty();
        long firstAttempt = probe.states().get("corp").lastAttemptMs();

        probe.configInForce(); // not due yet: nothing fetched
        Thread.sleep(200);
        assertThat(first.urls).hasSize(2);
        assertThat(later.urls).isEmpty();

        now.addAndGet(61_000); // the once-a-minute re-check is due
        probe.configInForce();
        await(() -> probe.states().get("corp").lastAttemptMs() > firstAttempt);
        IdpKeyProbe.IdpState state = probe.states().get("corp");
        assertThat(state.reachable()).as("re-check: %s", state).isTrue();
        assertThat(state.keys()).isEqualTo(1);
        assertThat(later.urls).containsExactly(idp.base() + "/.well-known/openid-configuration", idp.base() + "/certs");
        assertThat(first.urls).as("Vert.x's client is not used again").hasSize(2);
        assertThat(idp.requests.get()).isEqualTo(4);
    }

    @Test
    void theJdkFetcherAnswersDocumentsOnTheProbesContextAndSaysWhatWasWrong() throws Exception {
        IdpConfig corp = new ConfigLoader().parse("idps:\n  corp: {issuer: '" + idp.base()
                + "', audience: gatehouse}\napps: []\n", "test").idps().get("corp");
        Context context = vertx.getOrCreateContext();
        JdkIdpDocuments jdk = new JdkIdpDocuments(context);

        CompletableFuture<Context> deliveredOn = new CompletableFuture<>();
        JsonObject discovery = jdk.get(corp, idp.base() + "/.well-known/openid-configuration")
                .onComplete(r -> deliveredOn.complete(Vertx.currentContext()))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(discovery.getString("jwks_uri")).isEqualTo(idp.base() + "/certs");
        assertThat(deliveredOn.get(10, TimeUnit.SECONDS)).isSameAs(context);

        assertThat(failure(jdk.get(corp, idp.base() + "/missing"))).isEqualTo(idp.base() + "/missing answered 404");
        assertThat(failure(jdk.get(corp, idp.base() + "/not-json"))).startsWith(idp.base() + "/not-json answered no JSON object");
        assertThat(failure(jdk.get(corp, "not a url"))).startsWith("not a url is not a usable URL");
        int port = idp.server.actualPort();
        idp.server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(failure(jdk.get(corp, "http://127.0.0.1:" + port + "/certs"))).as("IdP gone").isNotBlank();
    }

    private static String failure(Future<JsonObject> f) throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        f.onComplete(r -> cause.complete(r.failed() ? r.cause() : null));
        Throwable t = cause.get(15, TimeUnit.SECONDS);
        assertThat(t).as("expected a failure").isNotNull();
        return String.valueOf(t.getMessage() != null ? t.getMessage() : t.getClass().getName());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
    }
}
