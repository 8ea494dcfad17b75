package dev.gatehouse.lifecycle;

import dev.gatehouse.revoke.Revocations;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Produces the one {@link Revocations} of this process, read by the gateway, kept by {@link RevocationSync}. */
public class RevocationHolder {

    @Produces
    @Singleton
    Revocations revocations() {
        return new Revocations();
    }
}
