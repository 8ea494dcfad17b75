package dev.gatehouse.store;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Produces the store's parts for revocations and back-channel logout over the one {@link Database}. */
public class RevocationBeans {

    @Produces
    @Singleton
    RevocationStore revocationStore(Database db, AuditLog audit) {
        return new RevocationStore(db, audit);
    }

    @Produces
    @Singleton
    LogoutTokenIds logoutTokenIds(Database db, Clock clock) {
        return new LogoutTokenIds(db, clock);
    }
}
