package dev.gatehouse.lifecycle;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.identity.IdpKeys;
import dev.gatehouse.identity.LogoutHandler;
import dev.gatehouse.identity.LogoutTokenValidator;
import dev.gatehouse.store.LogoutTokenIds;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Wires back-channel logout: the validator over the IdPs' keys and the store's record of used
 * {@code jti}s, and the handler that ends the sessions a token names.
 */
public class BackchannelBeans {
    private static final Logger LOG = Logger.getLogger(BackchannelBeans.class);

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

    /** Without browser sessions there is nothing to end; replaced once sessions exist. */
    @Produces
    @Singleton
    @DefaultBean
    LogoutHandler noSessions() {
        return token -> {
            LOG.debugf("back-channel logout for %s: no browser sessions in this build", token.idp());
            return 0;
        };
    }
}
