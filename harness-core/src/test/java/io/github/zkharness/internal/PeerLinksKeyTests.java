package io.github.zkharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zkharness.internal.PeerLinks.Key;
import io.github.zkharness.internal.PeerLinks.Kind;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Key}'s hand-written equality behaves as a record's would. */
class PeerLinksKeyTests {

    @Test
    void keysAreEqualExactlyWhenKindFromAndToAre() {
        Key key = new Key(Kind.ELECTION, 1, 2);
        assertThat(key).isEqualTo(new Key(Kind.ELECTION, 1, 2)).hasSameHashCodeAs(new Key(Kind.ELECTION, 1, 2));
        assertThat(key)
                .isNotEqualTo(new Key(Kind.QUORUM, 1, 2))
                .isNotEqualTo(new Key(Kind.ELECTION, 2, 1))
                .isNotEqualTo(new Key(Kind.ELECTION, 1, 3))
                .isNotEqualTo(null)
                .isNotEqualTo("election 1->2");
        Set<Key> all = new HashSet<>();
        for (Kind kind : Kind.values()) {
            for (long from = 1; from <= 5; from++) {
                for (long to = 1; to <= 5; to++) {
                    all.add(new Key(kind, from, to));
                    all.add(new Key(kind, from, to));
                }
            }
        }
        assertThat(all).hasSize(2 * 5 * 5);
        assertThat(key).hasToString("election 1->2");
    }
}
