package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.SealedValues;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sealing keys alone: the current key seals as {@code v2:<key id>:...}, previous keys only
 * unseal, values of the old format ({@code v1:}) still open, and every fault names what to do.
 */
class SealingKeysTest {
    static final String A = key(1);
    static final String B = key(2);
    static final String C = key(3);

    /** 32 bytes of {@code n}, base64: a valid key. */
    static String key(int n) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) n);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** A value sealed as Gatehouse sealed it before key ids ({@code v1:base64(iv || ct+tag)}). */
    static String sealedV1(String base64Key, String associated, String text) {
        return SealedValues.v1(base64Key, associated, text);
    }

    @Test
    void theCurrentKeySealsUnderItsIdAndAPreviousKeyStillOpensWhatItSealed() {
        SealingKeys onlyA = SealingKeys.of(A);
        SealingKeys bThenA = SealingKeys.of(B, List.of(A));
        String underA = onlyA.seal("assertion\nk1", "secret");
        assertThat(underA).startsWith("v2:" + onlyA.currentId() + ":").doesNotContain("secret");
        assertThat(onlyA.currentId()).matches("[A-Za-z0-9_-]{8}").isNotEqualTo(bThenA.currentId());
        assertThat(bThenA.previousIds()).containsExactly(onlyA.currentId());

        assertThat(bThenA.unseal("assertion\nk1", underA, "k1")).isEqualTo("secret");
        assertThat(bThenA.sealedWithCurrent(underA)).isFalse();
        String underB = bThenA.seal("assertion\nk1", "secret");
        assertThat(underB).as("always sealed with the current key").startsWith("v2:" + bThenA.currentId() + ":");
        assertThat(bThenA.sealedWithCurrent(underB)).isTrue();
        assertThat(bThenA.keyIdOf("assertion\nk1", underA)).isEqualTo(onlyA.currentId());
    }

    @Test
    void aValueSealedWithAKeyThisReplicaLacksSaysWhichKeyAndWhatToDo() {
        SealingKeys onlyA = SealingKeys.of(A);
        SealingKeys onlyB = SealingKeys.of(B, List.of(B, " "));
        String underB = onlyB.seal("assertion\nk1", "secret");
        assertThatThrownBy(() -> onlyA.unseal("assertion\nk1", underB, "cluster key assertion/k1"))
                .isInstanceOf(UnsealException.class)
                .hasMessageContaining("cluster key assertion/k1 is sealed with store key " + onlyB.currentId())
                .hasMessageContaining("gatehouse.store.key is " + onlyA.currentId())
                .hasMessageContaining("gatehouse.store.previous-keys")
                .hasMessageContaining("GATEHOUSE_STORE_PREVIOUS_KEYS")
                .hasMessageNotContaining(A).hasMessageNotContaining(B);
        assertThatThrownBy(() -> onlyB.unseal("assertion\nk2", underB, "cluster key assertion/k2"))
                .as("moved to another row").isInstanceOf(UnsealException.class).hasMessageContaining("altered");
    }

    @Test
    void valuesOfTheOldFormatOpenWithWhicheverConfiguredKeySealedThem() {
        String v1 = sealedV1(A, "assertion\nk1", "old secret");
        assertThat(SealingKeys.of(A).unseal("assertion\nk1", v1, "k1")).isEqualTo("old secret");
        SealingKeys bThenA = SealingKeys.of(B, List.of(C, A));
        assertThat(bThenA.unseal("assertion\nk1", v1, "k1")).isEqualTo("old secret");
        assertThat(bThenA.keyIdOf("assertion\nk1", v1)).isEqualTo(SealingKeys.of(A).currentId());
        assertThat(SealingKeys.of(B).keyIdOf("assertion\nk1", v1)).isEqualTo("v1");
        assertThatThrownBy(() -> SealingKeys.of(B, List.of(C)).unseal("assertion\nk1", v1, "cluster key assertion/k1"))
                .isInstanceOf(UnsealException.class).hasMessageContaining("cluster key assertion/k1")
                .hasMessageContaining("gatehouse.store.previous-keys");
    }

    @Test
    void aPreviousKeyThatIsNotAKeyIsRefusedByItsPlaceAndTheCurrentOneListedAgainIsHarmless() {
        assertThatThrownBy(() -> SealingKeys.of(B, List.of(A, "c2hvcnQ=")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gatehouse.store.previous-keys[1]").hasMessageContaining("32 bytes")
                .hasMessageContaining("got 5");
        assertThatThrownBy(() -> SealingKeys.of(B, List.of("not base64!")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gatehouse.store.previous-keys[0]").hasMessageContaining("not base64");
        assertThatThrownBy(() -> SealingKeys.of("c2hvcnQ=", List.of(A)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("gatehouse.store.key:");

        SealingKeys again = SealingKeys.of(B, List.of(B, A, A));
        assertThat(again.previousIds()).as("the current key and duplicates are not previous keys")
                .containsExactly(SealingKeys.of(A).currentId());
        assertThat(again.unseal("p\nk", again.seal("p\nk", "x"), "k")).isEqualTo("x");
    }
}
