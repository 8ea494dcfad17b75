package dev.gatehouse.lifecycle;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.identity.IdpKeys;
import dev.gatehouse.identity.LogoutAudit;
import dev.gatehouse.identity.LogoutHandler;
import dev.gatehouse.identity.LogoutTokenValidator;
import dev.gatehouse.session.SessionRepository;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.LogoutTokenIds;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires back-channel logout: the validator over the IdPs' keys and the store's record of used
 * {@code jti}s, and the handler that ends the sessions a token names.
 */
public class BackchannelBeans {
    @Produces
    @Singleton
    IdpKeys idpKeys() {
        return new IdpKeys();
    }

    @Produces
    @Singleton
    LogoutTokenValidator logoutTokenValidator(IdpKeys keys, LogoutTokenIds ids, Clock clock,
                                              GatehouseSettings settings) {
        return new LogoutTokenValidator(keys::resolver, ids::firstUse, clock,
                settings.backchannelLogout().maxTokenAge());
    }

    /**
     * Ends the Gatehouse sessions a logout token names: those of its IdP session ({@code sid}) when it
     * has one (section 2.7: only that session), else every session of its user ({@code sub}). The
     * session repository removes them from the store and tells every replica.
     */
    @Produces
    @Singleton
    LogoutHandler sessionLogout(SessionRepository sessions) {
        return token -> token.sid() != null ? sessions.endBySid(token.idp(), token.sid())
                : sessions.endBySubject(token.idp(), token.sub());
    }

    /**
     * The audit entry of an accepted logout token ({@code session.backchannel-logout}, outcome
     * {@code ended} or {@code no-session}): the actor is the IdP (no {@code sub}: nobody signed in
     * asked), the detail names the user ({@code sub}), the IdP session ({@code sid}), the token's
     * {@code jti} and how many sessions ended.
     */
    @Produces
    @Singleton
    LogoutAudit logoutAudit(AuditLog audit) {
        return (token, ended, clientAddress, requestId) -> audit.record(new AuditEvent(new Actor(null, token.idp()),
                "session.backchannel-logout", null, clientAddress, requestId, ended > 0 ? "ended" : "no-session",
                new io.vertx.core.json.JsonObject().put("sub", token.sub()).put("sid", token.sid())
                        .put("jti", token.jti()).put("sessions_ended", ended).encode()));
    }
}
