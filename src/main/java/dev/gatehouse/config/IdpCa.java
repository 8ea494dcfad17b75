package dev.gatehouse.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities an IdP's https endpoints are checked against instead of the JVM's
 * trust store ({@code idps.<id>.ca-file}): for a company IdP (Keycloak, ADFS) behind a private CA.
 * The file is read once per config load; its text is part of the IdP's settings, so a changed CA
 * gives the IdP a new tenant (new clients, keys fetched again) on the next reload.
 *
 * @param file the configured path, for messages
 * @param pem  the PEM text of one or more certificates, as read
 */
public record IdpCa(String file, String pem) {

    /**
     * Reads and checks the file: it must hold at least one PEM certificate. Problems are added to
     * {@code errors} at {@code path}, and null is answered.
     */
    static IdpCa read(String file, String path, List<String> errors) {
        String pem;
        try {
            pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            errors.add(path + ": cannot read '" + file + "' (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            errors.add(path + ": '" + file + "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return null;
        }
        try {
            certificates(pem);
        } catch (CertificateException e) {
            errors.add(path + ": '" + file + "' is not a readable PEM certificate (" + e.getMessage() + ")");
            return null;
        }
        return new IdpCa(file, pem);
    }

    /** The certificates of the file. */
    public List<Certificate> certificates() {
        try {
            return certificates(pem);
        } catch (CertificateException e) { // read() parsed it already
            throw new IllegalStateException(file + " no longer parses", e);
        }
    }

    private static List<Certificate> certificates(String pem) throws CertificateException {
        Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (all.isEmpty()) {
            throw new CertificateException("no certificate in it");
        }
        return new ArrayList<>(all);
    }

    /** A JDK TLS context that trusts these certificates and nothing else (for the JDK HTTP client). */
    public SSLContext sslContext() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates()) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store from " + file, e);
        }
    }

    @Override
    public String toString() {
        return file; // the certificates themselves say nothing a log reader needs
    }
}
