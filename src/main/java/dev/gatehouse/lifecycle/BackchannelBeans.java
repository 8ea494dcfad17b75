package dev.gatehouse.lifecycle;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.identity.IdpKeys;
import dev.gatehouse.identity.LogoutHandler;
import dev.gatehouse.identity.LogoutTokenValidator;
import dev.gatehouse.session.SessionRepository;
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
}
