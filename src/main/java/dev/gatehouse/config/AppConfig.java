package dev.gatehouse.config;

import dev.gatehouse.policy.CompiledPolicy;
import java.net.URI;
import java.time.Duration;

/**
 * One protected app.
 *
 * @param id              {@code [a-z0-9-]+}, unique
 * @param host            exact host or a leading wildcard {@code *.example.com}, lower case
 * @param pathPrefix      path prefix, starts and (unless "/") does not end with "/"
 * @param upstream        the upstream base URL; its path is prepended to the forwarded path
 * @param idp             id of the IdP that authenticates callers
 * @param login           bearer, browser or both
 * @param policy          the compiled policy
 * @param timeout         how long the upstream may take to answer (504 beyond)
 * @param preserveHost    forward the client's Host instead of the upstream's
 * @param forwardToken    forward the caller's IdP token in {@code Authorization}
 * @param identityHeaders add {@code X-Gatehouse-User}, {@code -Email}, {@code -Groups}
 * @param upstreamCa      PEM file of the CA that signs an https upstream's certificate, or null
 * @param maxBodyBytes    largest request body accepted (413 beyond); -1 for no limit
 * @param whoami          how much {@code /.gatehouse/whoami} explains about this app's decisions
 * @param session         the app's browser-session limits ({@link SessionLimits#DEFAULTS} when it sets none)
 */
public record AppConfig(String id, String host, String pathPrefix, URI upstream, String idp, LoginMode login,
                        CompiledPolicy policy, Duration timeout, boolean preserveHost, boolean forwardToken,
                        boolean identityHeaders, String upstreamCa, long maxBodyBytes, WhoamiDetail whoami,
                        SessionLimits session) {

    public AppConfig {
        session = session == null ? SessionLimits.DEFAULTS : session;
    }

    /** An app with the default session limits. */
    public AppConfig(String id, String host, String pathPrefix, URI upstream, String idp, LoginMode login,
                     CompiledPolicy policy, Duration timeout, boolean preserveHost, boolean forwardToken,
                     boolean identityHeaders, String upstreamCa, long maxBodyBytes, WhoamiDetail whoami) {
        this(id, host, pathPrefix, upstream, idp, login, policy, timeout, preserveHost, forwardToken,
                identityHeaders, upstreamCa, maxBodyBytes, whoami, SessionLimits.DEFAULTS);
    }

    /** Whether people sign in to this app in a browser ({@code login: browser} or {@code both}). */
    public boolean browserLogin() {
        return login == LoginMode.BROWSER || login == LoginMode.BOTH;
    }
}
