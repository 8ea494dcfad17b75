package dev.gatehouse.identity;

import dev.gatehouse.config.IdpCa;
import io.quarkus.tls.BaseTlsConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.security.KeyStore;
import java.security.cert.Certificate;

/**
 * An IdP's private CA as a Quarkus TLS configuration, so that quarkus-oidc's discovery and key
 * fetches for that IdP's tenant trust it ({@code tls-configuration-name} of the tenant). Trust only:
 * no client certificate; host names are verified (the default).
 */
final class IdpCaTls extends BaseTlsConfiguration {
    private final IdpCa ca;

    IdpCaTls(IdpCa ca) {
        this.ca = ca;
    }

    @Override
    public TrustOptions getTrustStoreOptions() {
        return new PemTrustOptions().addCertValue(Buffer.buffer(ca.pem()));
    }

    @Override
    public KeyStore getTrustStore() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : ca.certificates()) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a trust store from " + ca.file(), e);
        }
    }
}
