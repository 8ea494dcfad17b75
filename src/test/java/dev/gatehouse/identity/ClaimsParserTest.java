package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The one-pass payload parser gives exactly the tree the old two passes gave (Vert.x's codec, then
 * {@link CompactClaims#of}): same entries, order, JSON types and nulls, read-only; and refuses what
 * they refused (duplicates at any depth, trailing content, a non-object root) plus comments and
 * malformed UTF-8.
 */
class ClaimsParserTest {
    private static final String TOKEN = "{\"iss\":\"https://idp/realms/corp\",\"sub\":\"alice\",\"n\":7,\"big\":9000000000,"
            + "\"huge\":123456789012345678901234567890,\"f\":1.5,\"e\":1e3,\"ok\":true,\"no\":false,\"none\":null,"
            + "\"groups\":[\"staff\",\"engineering\",null,3],\"name\":\"Zo\\u00eb \\\"Z\\\" \\ud83d\\ude00\","
            + "\"realm_access\":{\"roles\":[\"a\",\"b\"],\"empty\":{}},\"nested\":[[1,2],{\"x\":\"y\"},[]]}";

    private static Map<String, Object> parse(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return ClaimsParser.object(utf8, 0, utf8.length, true);
    }

    @Test
    void theSameTreeAsVertxsCodecThenCompactClaims() {
        Map<String, Object> before = CompactClaims.of(new JsonObject(TOKEN).getMap());
        Map<String, Object> now = parse(TOKEN);
        assertThat(now).isEqualTo(before);
        assertThat(new ArrayList<>(now.keySet())).containsExactlyElementsOf(before.keySet());
        assertThat(new JsonObject(now).encode()).isEqualTo(new JsonObject(before).encode());
        for (String k : before.keySet()) {
            Object b = before.get(k);
            assertThat(now.get(k)).as(k).isEqualTo(b);
            if (b != null) {
                assertThat(now.get(k).getClass()).as(k).isEqualTo(b instanceof Map ? CompactClaims.ArrayMap.class
                        : b instanceof List ? now.get(k).getClass() : b.getClass());
            }
        }
        assertThat(now.get("n")).isInstanceOf(Integer.class);
        assertThat(now.get("big")).isInstanceOf(Long.class);
        assertThat(now.get("huge")).isInstanceOf(BigInteger.class);
        assertThat(now.get("f")).isInstanceOf(Double.class);
        assertThat(now.containsKey("none")).isTrue();
    }

    @Test
    void readOnlyAndPooledOnlyWhenAsked() {
        Map<String, Object> a = parse(TOKEN);
        assertThatThrownBy(() -> a.put("sub", "mallory")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> groups = (List<Object>) a.get("groups");
        assertThatThrownBy(() -> groups.add("admins")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> groups.set(0, "admins")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(parse(TOKEN).get("iss")).isSameAs(a.get("iss"));
        String unique = "{\"kid\":\"never-pooled-" + System.nanoTime() + "\"}";
        byte[] utf8 = unique.getBytes(StandardCharsets.UTF_8);
        Object k1 = ClaimsParser.object(utf8, 0, utf8.length, false).get("kid");
        Object k2 = ClaimsParser.object(utf8, 0, utf8.length, false).get("kid");
        assertThat(k1).isEqualTo(k2).isNotSameAs(k2);
    }

    @Test
    void recurringListsAreSharedAndPerUserValuesStayOutOfThePool() {
        String sub = "user-" + System.nanoTime();
        String json = "{\"sub\":\"" + sub + "\",\"groups\":[\"staff\",\"engineering\"],\"x\":\"" + sub + "\"}";
        Map<String, Object> a = parse(json);
        Map<String, Object> b = parse(json);
        assertThat(b.get("groups")).as("one list for everyone with these groups").isSameAs(a.get("groups"));
        assertThat(b.get("sub")).isEqualTo(a.get("sub")).as("sub is per user: not pooled").isNotSameAs(a.get("sub"));
        assertThat(b.get("x")).as("any other short string is pooled").isSameAs(a.get("x"));
        assertThat(CompactClaims.of(Map.of("groups", List.of("staff", "engineering"))).get("groups"))
                .as("the same pool as the quarkus-oidc path's").isSameAs(a.get("groups"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "{\"a\":[{\"b\":1,\"b\":2}]}",
        "{\"a\":1}{}", "{\"a\":1} x", "[{\"a\":1}]", "\"a\"", "1", "null", "", "{", "{\"a\":[1,2}", "{\"a\":1,}",
        "{/* c */\"a\":1}", "{\"a\":1} // c", "{'a':1}", "{a:1}", "{\"a\":NaN}"})
    void refusesWhatIsNotOneStrictObject(String json) {
        assertThat(parse(json)).isNull();
    }

    /**
     * Duplicates are found by the parser itself now (a scan of the names so far, a set past 32 of
     * them), not by Jackson's STRICT_DUPLICATE_DETECTION: at any position, in small and large objects,
     * pooled or not, nested or not.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 31, 32, 33, 34, 40, 200})
    void refusesADuplicateNameWhereverItIs(int names) {
        for (int dup = 1; dup < names; dup++) {
            for (int of : new int[] {0, dup - 1, dup / 2}) {
                StringBuilder b = new StringBuilder("{");
                for (int i = 0; i < names; i++) {
                    b.append(i > 0 ? "," : "").append("\"").append(i == dup ? "n" + of : "n" + i).append("\":").append(i);
                }
                String json = b.append('}').toString();
                assertThat(parse(json)).as(json).isNull();
                byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
                assertThat(ClaimsParser.object(utf8, 0, utf8.length, false)).as("unpooled " + json).isNull();
                assertThat(parse("{\"x\":[" + json + "]}")).as("nested " + json).isNull();
            }
            StringBuilder ok = new StringBuilder("{");
            for (int i = 0; i < names; i++) {
                ok.append(i > 0 ? "," : "").append("\"n").append(i).append("\":").append(i);
            }
            assertThat(parse(ok.append('}').toString())).as("distinct names").hasSize(names);
        }
    }

    @Test
    void refusesMalformedUtf8() {
        byte[] bad = "{\"sub\":\"a?\"}".getBytes(StandardCharsets.US_ASCII);
        bad[9] = (byte) 0xC3; // a lead byte followed by '"'
        assertThat(ClaimsParser.object(bad, 0, bad.length, true)).isNull();
    }

    @Test
    void parsesOnlyItsRange() {
        byte[] utf8 = "xx{\"a\":1}yy".getBytes(StandardCharsets.UTF_8);
        assertThat(ClaimsParser.object(utf8, 2, 9, true)).isEqualTo(Map.of("a", 1));
    }
}
