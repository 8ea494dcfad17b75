package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache's compact claims are the same JSON tree: same entries, order, types and nulls; read-only. */
class CompactClaimsTest {
    private static final String TOKEN = "{\"iss\":\"https://idp/realms/corp\",\"sub\":\"alice\",\"n\":7,\"big\":9000000000,"
            + "\"f\":1.5,\"ok\":true,\"none\":null,\"groups\":[\"staff\",\"engineering\",null,3],"
            + "\"realm_access\":{\"roles\":[\"a\",\"b\"],\"empty\":{}},\"nested\":[[1,2],{\"x\":\"y\"}]}";

    @Test
    void aCompactTreeEqualsTheDecodedOneInOrderTypesAndNulls() {
        Map<String, Object> decoded = new JsonObject(TOKEN).getMap();
        Map<String, Object> compact = CompactClaims.of(decoded);
        assertThat(compact).isEqualTo(decoded);
        assertThat(new ArrayList<>(compact.keySet())).containsExactlyElementsOf(decoded.keySet());
        assertThat(compact.get("n")).isInstanceOf(Integer.class);
        assertThat(compact.get("big")).isInstanceOf(Long.class);
        assertThat(compact.get("ok")).isEqualTo(true);
        assertThat(compact.containsKey("none")).isTrue();
        assertThat(compact.get("none")).isNull();
        assertThat(compact.containsKey("absent")).isFalse();
        assertThat(((Map<?, ?>) compact.get("realm_access")).get("roles")).isEqualTo(List.of("a", "b"));
        assertThat(new JsonObject(compact).encode()).isEqualTo(new JsonObject(decoded).encode());
    }

    /**
     * An identity keeps the compact map as it is (no unmodifiable wrapper per cached token), so the
     * map itself must refuse every change, even one that would change nothing, as the wrapper did.
     */
    @Test
    void anIdentityKeepsItUnwrappedAndEveryMutatorThrows() {
        Map<String, Object> compact = CompactClaims.of(new JsonObject(TOKEN).getMap());
        Identity id = IdentityFactory.fromClaims(compact, ClaimPaths.DEFAULTS, false);
        assertThat(id.claims()).isSameAs(compact);
        Map<String, Object> plain = new java.util.HashMap<>(Map.of("sub", "alice"));
        assertThat(IdentityFactory.fromClaims(plain, ClaimPaths.DEFAULTS, false).claims())
                .as("any other map is still wrapped").isNotSameAs(plain);
        for (Map<String, Object> m : List.of(id.claims(), CompactClaims.of(Map.of()),
                (Map<String, Object>) id.claims().get("realm_access"))) {
            List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> changes = List.of(
                    () -> m.put("sub", "mallory"), () -> m.remove("sub"), () -> m.remove("absent"),
                    () -> m.putAll(Map.of("x", 1)), () -> m.putAll(Map.of()), m::clear,
                    () -> m.putIfAbsent("sub", "mallory"), () -> m.putIfAbsent("absent", 1),
                    () -> m.remove("sub", "alice"), () -> m.replace("sub", "mallory"),
                    () -> m.replace("sub", "alice", "mallory"), () -> m.replaceAll((k, v) -> v),
                    () -> m.computeIfAbsent("sub", k -> 1), () -> m.computeIfPresent("sub", (k, v) -> v),
                    () -> m.compute("sub", (k, v) -> v), () -> m.merge("sub", 1, (a, b) -> a),
                    () -> m.keySet().iterator().remove(), () -> m.entrySet().iterator().next().setValue(1),
                    () -> m.keySet().remove(m.keySet().iterator().next()), () -> m.values().clear());
            for (var change : changes) {
                if (m.isEmpty() && isViewChange(changes.indexOf(change))) {
                    continue; // nothing to remove through an empty map's views
                }
                assertThatThrownBy(change).isInstanceOf(UnsupportedOperationException.class);
            }
        }
        assertThat(id.claims().get("sub")).isEqualTo("alice");
    }

    private static boolean isViewChange(int index) {
        return index >= 16;
    }

    @Test
    void itIsReadOnlyAndSharesRecurringShortStrings() {
        Map<String, Object> a = CompactClaims.of(new JsonObject(TOKEN).getMap());
        Map<String, Object> b = CompactClaims.of(new JsonObject(TOKEN).getMap());
        assertThat(a.get("iss")).isSameAs(b.get("iss"));
        assertThatThrownBy(() -> a.put("sub", "mallory")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> groups = (List<Object>) a.get("groups");
        assertThatThrownBy(() -> groups.add("admins")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recurringListsOfStringsAreSharedAndStillBehaveAsTheDecodedLists() {
        Map<String, Object> a = CompactClaims.of(new JsonObject(
                "{\"sub\":\"u1\",\"groups\":[\"staff\",\"engineering\"],\"amr\":[\"pwd\",\"otp\"]}").getMap());
        Map<String, Object> b = CompactClaims.of(new JsonObject(
                "{\"sub\":\"u2\",\"groups\":[\"staff\",\"engineering\"],\"amr\":[\"pwd\",\"otp\"]}").getMap());
        assertThat(a.get("groups")).isSameAs(b.get("groups")).isEqualTo(List.of("staff", "engineering"));
        assertThat(a.get("amr")).isSameAs(b.get("amr"));
        List<?> groups = (List<?>) a.get("groups");
        assertThat(groups.contains(null)).isFalse(); // List.of would throw here; the decoded list did not
        assertThat(groups.toString()).isEqualTo("[staff, engineering]");
        assertThat(groups.hashCode()).isEqualTo(List.of("staff", "engineering").hashCode());
        @SuppressWarnings("unchecked")
        List<Object> withNull = (List<Object>) CompactClaims.of(new JsonObject(TOKEN).getMap()).get("groups");
        assertThat(withNull.contains(null)).isTrue();
        assertThat(withNull).containsExactly("staff", "engineering", null, 3);
    }

    @Test
    void perUserValuesAreKeptButNeverOfferedToTheSharedPool() {
        Map<String, Object> first = CompactClaims.of(new JsonObject(
                "{\"sub\":\"pool-probe-1\",\"jti\":\"pool-probe-jti\",\"aud\":\"pool-probe-aud\"}").getMap());
        Map<String, Object> second = CompactClaims.of(new JsonObject(
                "{\"sub\":\"pool-probe-1\",\"jti\":\"pool-probe-jti\",\"aud\":\"pool-probe-aud\"}").getMap());
        assertThat(second.get("sub")).isEqualTo("pool-probe-1").isNotSameAs(first.get("sub"));
        assertThat(second.get("jti")).isEqualTo("pool-probe-jti").isNotSameAs(first.get("jti"));
        assertThat(second.get("aud")).isSameAs(first.get("aud"));
    }

    @Test
    void listsHoldingLongStringsAreNotPooled() {
        String longName = "g".repeat(CompactClaims.POOLED_MAX_LENGTH + 1);
        String json = "{\"groups\":[\"staff\",\"" + longName + "\"]}";
        Object a = CompactClaims.of(new JsonObject(json).getMap()).get("groups");
        Object b = CompactClaims.of(new JsonObject(json).getMap()).get("groups");
        assertThat(a).isEqualTo(b).isNotSameAs(b);
    }
}
