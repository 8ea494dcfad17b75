package dev.gatehouse.gateway.connection;

import dev.gatehouse.crypto.NativeCrypto;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Cipher;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509KeyManager;
import org.jboss.logging.Logger;

/**
 * The RSA private-key operations of the data port's TLS handshakes, on AWS-LC (the Amazon Corretto
 * Crypto Provider) instead of netty-tcnative's BoringSSL. A new TLS connection's largest cost is the
 * server's RSA signature (CertificateVerify in TLS 1.3, ServerKeyExchange in TLS 1.2): BoringSSL's
 * RSA has no AVX-512 IFMA code, AWS-LC's (like the OpenSSL 3 nginx uses) has, and on the benchmark
 * machine an RSA-2048 signature costs about half the CPU there (BENCHMARKS.md, issue 13 round six).
 *
 * <p>How: BoringSSL calls a private-key method instead of signing itself when a connection's key
 * material carries no private key. So {@link #hideRsaKeys} wraps the context's key manager: for an
 * RSA key it hands Netty the certificate chain and no key, and keeps the key here (translated to an
 * AWS-LC key once), found again at signing time by the certificate the handshake chose. Other keys
 * (EC) are handed over as before and BoringSSL signs them. One signer serves one TLS context; a
 * reloaded certificate comes with a new context and so a new signer.
 *
 * <p>Used only where AWS-LC loads (its library ships for linux-x86_64 only) and passes its own
 * self-tests; {@code -Dgatehouse.crypto.native=false} turns it off. It is never registered with
 * {@code java.security.Security}.
 */
final class NativeTlsSigner implements OpenSslPrivateKeyMethod {

    private static final Logger LOG = Logger.getLogger(NativeTlsSigner.class);

    private final Provider provider;
    private final KeyFactory rsaKeys;
    /** The leaf certificate of each chain whose RSA key is kept here, and that key (AWS-LC's). */
    private final Map<Certificate, PrivateKey> keys = new ConcurrentHashMap<>();
    /** Private-key operations done (signatures and decryptions). */
    private final LongAdder operations = new LongAdder();

    NativeTlsSigner(Provider provider) throws GeneralSecurityException {
        this.provider = provider;
        this.rsaKeys = KeyFactory.getInstance("RSA", provider);
    }

    /** AWS-LC, loaded and self-tested, or null (not on this platform, or turned off). */
    static Provider provider() {
        return NativeCrypto.provider();
    }

    /** How many signatures and decryptions this signer made. */
    long operations() {
        return operations.sum();
    }

    /** Whether this signer holds the key of this leaf certificate (after {@link #hideRsaKeys} handed it over). */
    boolean holdsKeyOf(Certificate leaf) {
        return keys.containsKey(leaf);
    }

    /**
     * The factory's key manager, with the private key of every RSA chain kept here instead of given
     * to Netty (which then has BoringSSL call {@link #sign}); everything else passes through.
     */
    KeyManagerFactory hideRsaKeys(KeyManagerFactory factory) {
        X509KeyManager manager = null;
        for (KeyManager m : factory.getKeyManagers()) {
            if (m instanceof X509KeyManager x) {
                manager = x; // the one Netty would use: its first X509KeyManager
                break;
            }
        }
        if (manager == null) {
            return factory;
        }
        KeyManager[] hiding = {new RsaKeysKeptHere(manager)};
        return new KeyManagerFactory(new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore keyStore, char[] password) {
                // already initialised: the wrapped factory was
            }

            @Override
            protected void engineInit(ManagerFactoryParameters parameters) {
                // already initialised: the wrapped factory was
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return hiding.clone();
            }
        }, factory.getProvider(), factory.getAlgorithm()) {
        };
    }

    @Override
    public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) throws Exception {
        return sign(leafOf(engine), signatureAlgorithm, input);
    }

    /** {@code input} is the message to sign (BoringSSL's key method: not a digest). */
    byte[] sign(Certificate leaf, int signatureAlgorithm, byte[] input) throws GeneralSecurityException {
        PrivateKey key = keyOf(leaf);
        Signature signature;
        // (tcnative's constants are not compile-time constants: no switch)
        if (signatureAlgorithm == SSL_SIGN_RSA_PSS_RSAE_SHA256) {
            signature = pss("SHA-256", MGF1ParameterSpec.SHA256, 32);
        } else if (signatureAlgorithm == SSL_SIGN_RSA_PSS_RSAE_SHA384) {
            signature = pss("SHA-384", MGF1ParameterSpec.SHA384, 48);
        } else if (signatureAlgorithm == SSL_SIGN_RSA_PSS_RSAE_SHA512) {
            signature = pss("SHA-512", MGF1ParameterSpec.SHA512, 64);
        } else if (signatureAlgorithm == SSL_SIGN_RSA_PKCS1_SHA256) {
            signature = Signature.getInstance("SHA256withRSA", provider);
        } else if (signatureAlgorithm == SSL_SIGN_RSA_PKCS1_SHA384) {
            signature = Signature.getInstance("SHA384withRSA", provider);
        } else if (signatureAlgorithm == SSL_SIGN_RSA_PKCS1_SHA512) {
            signature = Signature.getInstance("SHA512withRSA", provider);
        } else if (signatureAlgorithm == SSL_SIGN_RSA_PKCS1_SHA1) {
            signature = Signature.getInstance("SHA1withRSA", provider);
        } else { // MD5+SHA1 is TLS 1.0/1.1 only, which the data port does not enable
            throw new SignatureException("signature algorithm 0x" + Integer.toHexString(signatureAlgorithm)
                    + " is not supported for an RSA key");
        }
        signature.initSign(key);
        signature.update(input);
        byte[] signed = signature.sign();
        operations.increment();
        return signed;
    }

    /**
     * The raw RSA decryption of TLS 1.2's RSA key exchange (TLS_RSA_* cipher suites): no padding
     * removed, BoringSSL checks the PKCS #1 padding itself, in constant time.
     */
    @Override
    public byte[] decrypt(SSLEngine engine, byte[] input) throws Exception {
        return decrypt(leafOf(engine), input);
    }

    byte[] decrypt(Certificate leaf, byte[] input) throws GeneralSecurityException {
        PrivateKey key = keyOf(leaf);
        Cipher rsa = Cipher.getInstance("RSA/ECB/NoPadding", provider);
        rsa.init(Cipher.DECRYPT_MODE, key);
        byte[] out = rsa.doFinal(input);
        operations.increment();
        int size = (((RSAPrivateKey) key).getModulus().bitLength() + 7) / 8;
        if (out.length < size) { // the padding check expects the full modulus length, leading zeros too
            byte[] full = new byte[size];
            System.arraycopy(out, 0, full, size - out.length, out.length);
            return full;
        }
        return out;
    }

    private Signature pss(String digest, MGF1ParameterSpec mgf, int saltLength)
            throws GeneralSecurityException {
        Signature signature = Signature.getInstance("RSASSA-PSS", provider);
        try {
            signature.setParameter(new PSSParameterSpec(digest, "MGF1", mgf, saltLength, 1));
        } catch (InvalidAlgorithmParameterException e) {
            throw new SignatureException(e);
        }
        return signature;
    }

    private PrivateKey keyOf(Certificate leaf) throws SignatureException {
        PrivateKey key = leaf == null ? null : keys.get(leaf);
        if (key == null) {
            throw new SignatureException("no RSA key kept for the certificate this handshake chose");
        }
        return key;
    }

    private static Certificate leafOf(SSLEngine engine) {
        SSLSession session = engine.getHandshakeSession();
        if (session == null) {
            session = engine.getSession();
        }
        Certificate[] chain = session == null ? null : session.getLocalCertificates();
        return chain == null || chain.length == 0 ? null : chain[0];
    }

    /** Passes everything through but the private key of an RSA chain, which it keeps for the signer. */
    private final class RsaKeysKeptHere extends DelegatingKeyManager {
        RsaKeysKeptHere(X509KeyManager delegate) {
            super(delegate);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            PrivateKey key = delegate.getPrivateKey(alias);
            X509Certificate[] chain = delegate.getCertificateChain(alias);
            if (!(key instanceof RSAPrivateCrtKey) || chain == null || chain.length == 0) {
                return key; // BoringSSL signs it, as without this class
            }
            if (!keys.containsKey(chain[0])) {
                try {
                    keys.put(chain[0], (PrivateKey) rsaKeys.translateKey(key));
                } catch (GeneralSecurityException | RuntimeException e) {
                    LOG.warnf("TLS: the RSA key of '%s' stays with BoringSSL (AWS-LC cannot take it: %s)",
                            alias, e.toString());
                    return key;
                }
            }
            return null; // no key in the key material: BoringSSL calls NativeTlsSigner#sign
        }
    }
}
