package dev.gatehouse.identity;

/**
 * A slot on a {@link VerifiedToken} where a later stage keeps what it derived from that token, so
 * that it lives exactly as long as the cached token (the verified-token cache bounds and expires
 * it) instead of in a second cache keyed by the token: the forwarding layer keeps the assertions
 * it signed for the token there ({@code AssertionSigner}), one map lookup fewer per request and
 * one cache entry fewer per new token.
 *
 * <p>Not part of the token's value: every memo equals every other, so {@link VerifiedToken}'s
 * equality is what it was. The value is published through a volatile field (a token is shared by
 * every event loop) and must be immutable; concurrent writers simply replace each other.
 */
public final class TokenMemo {
    private volatile Object value;

    /** What was kept, or null. */
    public Object get() {
        return value;
    }

    /** Keeps {@code v} (immutable), replacing what was there. */
    public void set(Object v) {
        value = v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenMemo;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "TokenMemo";
    }
}
