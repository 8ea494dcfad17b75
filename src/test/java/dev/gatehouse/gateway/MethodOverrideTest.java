package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A method override in the query ({@code POST /x?_method=DELETE}, honoured by Rails, Laravel and
 * express method-override) must not turn an allowed POST into the DELETE that the app's
 * {@code http_method} rule denies: 400 {@code invalid-request}, nothing upstream, in every spelling
 * a framework would still read as {@code _method}. App {@code no-delete} allows any signed-in user
 * and denies DELETE.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class MethodOverrideTest {
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    private static String send(String method, String target) {
        return Http.raw(method + " " + target + " HTTP/1.1\r\nHost: nodelete.test\r\nAuthorization: Bearer "
                + GatehouseTestResource.idp().validToken() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    private static int status(String answer) {
        return answer.startsWith("HTTP/1.") ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }

    @Test
    void theAppDeniesDeleteItself() {
        assertThat(status(send("DELETE", "/x"))).isEqualTo(403);
        assertThat(status(send("POST", "/x"))).isEqualTo(200);
        assertThat(upstream.received()).extracting(RecordingUpstream.Received::method).containsExactly("POST");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/x?_method=DELETE", "/x?_method=delete", "/x?_METHOD=DELETE", "/x?_Method=Delete",
        "/x?%5Fmethod=DELETE", "/x?%5fmethod=DELETE", "/x?_%6Dethod=DELETE", "/x?%5F%6D%45%54%48%4F%44=DELETE",
        "/x?a=1&_method=DELETE", "/x?a=1;_method=DELETE", "/x?_method", "/x?_method=", "/x?a=1&_method",
        // PHP (Laravel) reads a leading space, dot or bracket in a name as "_", and a name as far as a NUL
        "/x?.method=DELETE", "/x?+method=DELETE", "/x?%20method=DELETE", "/x?%5Bmethod=DELETE", "/x?_method%00x=DELETE"})
    void aMethodOverrideInTheQueryIs400AndReachesNothing(String target) {
        String answer = send("POST", target);
        assertThat(status(answer)).as(answer).isEqualTo(400);
        assertThat(answer).containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getString("reason"))
                .isEqualTo("invalid-request");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void anyMethodCarryingItIsRefused() {
        assertThat(status(send("GET", "/x?_method=DELETE"))).isEqualTo(400);
        assertThat(status(send("PUT", "/x?_method=DELETE"))).isEqualTo(400);
        assertThat(upstream.hits()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/x?method=DELETE", "/x?x_method=1", "/x?_methods=1", "/x?__method=DELETE",
        "/x?q=_method", "/x?a=b&c=_method%3DDELETE", "/x?%255Fmethod=DELETE", "/x?_meth=1&od=2"})
    void otherQueriesPass(String target) {
        String answer = send("POST", target);
        assertThat(status(answer)).as(answer).isEqualTo(200);
        assertThat(upstream.last().uri()).isEqualTo(target);
    }
}
