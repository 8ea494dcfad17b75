package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** TLS both ways: https upstreams with a private CA, and clients on TLS with HTTP/2 by ALPN. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class TlsTest {

    @Test
    void httpsUpstreamWithConfiguredCa() {
        RecordingUpstream tls = GatehouseTestResource.tlsUpstream();
        tls.reset();
        HttpResponse<String> r = Http.get("tls.test", "/secure", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(tls.last().uri()).isEqualTo("/secure");
    }

    @Test
    void httpsUpstreamWithUntrustedCertificateIs502() {
        RecordingUpstream tls = GatehouseTestResource.tlsUpstream();
        tls.reset();
        HttpResponse<String> r = Http.get("untrusted.test", "/", null);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("upstream-unavailable");
        assertThat(tls.hits()).isZero();
    }

    @Test
    void preserveHostSendsTheClientsHost() {
        Http.get("preserve.test", "/", null);
        assertThat(GatehouseTestResource.upstream().last().header("Host")).startsWith("preserve.test");
        Http.get("public.test", "/", null);
        assertThat(GatehouseTestResource.upstream().last().header("Host")).startsWith("127.0.0.1:");
    }

    @Test
    void clientsGetHttp2OverTlsByAlpn() throws Exception {
        int tlsPort = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                    .setTrustAll(true).setVerifyHost(false).setProtocolVersion(HttpVersion.HTTP_2));
            String token = GatehouseTestResource.idp().validToken();
            var answer = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                            .setPort(tlsPort).setURI("/over-tls").putHeader("Authorization", "Bearer " + token))
                    .compose(req -> {
                        req.authority(io.vertx.core.net.HostAndPort.create("api.test", tlsPort));
                        return req.send();
                    })
                    .compose(resp -> resp.body().map(b -> resp.version() + " " + resp.statusCode() + " " + b))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo("HTTP_2 200 ok");
            RecordingUpstream.Received got = GatehouseTestResource.upstream().last();
            assertThat(got.uri()).isEqualTo("/over-tls");
            assertThat(got.header("X-Forwarded-Proto")).isEqualTo("https");
        } finally {
            vertx.close();
        }
    }
}
