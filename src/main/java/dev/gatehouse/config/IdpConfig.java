package dev.gatehouse.config;

import dev.gatehouse.policy.ClaimPaths;
import java.util.HexFormat;

/**
 * One OIDC identity provider.
 *
 * @param id           the key under {@code idps:}
 * @param issuer       the issuer URL; discovery at {@code {issuer}/.well-known/openid-configuration}
 * @param audience     the audience a token must carry (string or list {@code aud})
 * @param clientId     client id, for browser login
 * @param clientSecret client secret, for browser login (from an {@code ${ENV}} reference)
 * @param claims       where identity and device facts live in this IdP's tokens
 * @param trustEmail   whether every email this IdP sends is verified, so that policies and upstreams
 *                     use it without an {@code email_verified: true} claim ({@code trust-email}; for
 *                     Entra ID, whose tokens carry no email_verified). Default false.
 * @param ca           the private CA its https endpoints are checked against ({@code ca-file}), or
 *                     null for the JVM's trust store
 */
public record IdpConfig(String id, String issuer, String audience, String clientId, String clientSecret,
                        ClaimPaths claims, boolean trustEmail, IdpCa ca) {

    /** An IdP whose endpoints are trusted through the JVM's trust store. */
    public IdpConfig(String id, String issuer, String audience, String clientId, String clientSecret,
                     ClaimPaths claims, boolean trustEmail) {
        this(id, issuer, audience, clientId, clientSecret, claims, trustEmail, null);
    }

    /**
     * The quarkus-oidc tenant id of this IdP: its id plus a digest of its settings, so a changed IdP
     * never reuses stale state (keys, discovery) of its previous settings. 64 bits of SHA-256 rather
     * than the record's 32-bit hash code: since the config is reloaded, an IdP's settings change
     * within one process, and two settings sharing a tenant id would keep the old issuer's keys.
     */
    public String tenantId() {
        return id + "-" + HexFormat.of().formatHex(AppDigest.ofIdp(this), 0, 8);
    }

    @Override
    public String toString() {
        // never print the secret
        return "IdpConfig[id=" + id + ", issuer=" + issuer + ", audience=" + audience + ", clientId=" + clientId
                + ", trustEmail=" + trustEmail + (ca == null ? "" : ", ca=" + ca) + "]";
    }
}
