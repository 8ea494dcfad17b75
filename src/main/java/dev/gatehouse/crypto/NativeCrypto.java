package dev.gatehouse.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import org.jboss.logging.Logger;

/**
 * The native JCA provider for the two public-key operations a new token costs (issue 13): the
 * RS256 (and other JWS) signature check of an IdP token and the ES256 signature of the upstream
 * assertion. It is the Amazon Corretto Crypto Provider (ACCP: AWS-LC, BoringSSL's fork kept by
 * AWS, with assembly P-256 and RSA); on the benchmark machine an ES256 signature costs about 13 us
 * of CPU there against about 57 us with BouncyCastle's comb, and an RS256 verification about 13 us
 * against about 28 us with the JDK's {@code SunRsaSign} (BENCHMARKS.md, issue 13 round six).
 *
 * <p>Used only when it loads here (its native library is shipped for linux-x86_64 only) and its
 * own self-tests pass; otherwise {@link #provider()} is null and callers keep the Java code they
 * used before, which is logged once. {@code -Dgatehouse.crypto.native=false} turns it off. It is
 * never registered with {@code java.security.Security}: only the callers that ask for it by this
 * class use it.
 */
public final class NativeCrypto {
    /** The system property that turns the native provider off ({@code false}). */
    public static final String PROPERTY = "gatehouse.crypto.native";

    private static final Logger LOG = Logger.getLogger(NativeCrypto.class);
    private static final Provider PROVIDER = load();

    private NativeCrypto() {
    }

    /** The native provider, healthy and self-tested, or null: use the Java implementations. */
    public static Provider provider() {
        return PROVIDER;
    }

    private static Provider load() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            LOG.infof("native crypto off (-D%s=false): RS256 verification by the JDK, ES256 signing by BouncyCastle",
                    PROPERTY);
            return null;
        }
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable failed = accp.getLoadingError();
            if (failed != null) {
                throw failed;
            }
            accp.assertHealthy(); // runs its self-tests now and throws unless every one passed
            return accp;
        } catch (Throwable e) { // LinkageError on a platform without its library: fall back, do not fail
            LOG.warnf("native crypto unavailable (%s): RS256 verification by the JDK, ES256 signing by BouncyCastle,"
                    + " at several times the CPU per new token", e.toString());
            return null;
        }
    }
}
