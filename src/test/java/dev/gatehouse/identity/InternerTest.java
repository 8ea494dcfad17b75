package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool shares equal values and stops taking new ones at its weight budget. */
class InternerTest {
    @Test
    void sharesEqualValuesUntilItsBudgetIsSpent() {
        Interner<List<String>> pool = new Interner<>(6, l -> 1 + l.size());
        List<String> ab = List.of("a", "b");
        assertThat(pool.intern(ab)).isSameAs(ab);
        assertThat(pool.intern(List.of("a", "b"))).isSameAs(ab);
        List<String> cd = List.of("c", "d");
        assertThat(pool.intern(cd)).isSameAs(cd); // weight 3 + 3 = 6: still fits
        List<String> e = List.of("e");
        assertThat(pool.intern(e)).isSameAs(e);
        assertThat(pool.intern(List.of("e"))).isNotSameAs(e).isEqualTo(e); // over budget: not pooled
        assertThat(pool.size()).isEqualTo(2);
    }
}
