package dev.gatehouse.admin.console;

import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.config.GatehouseSettings;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's form tokens (OWASP's HMAC-based token pattern): {@code <issued>.<mac>}, where the
 * MAC binds the issue time to the signed-in admin ({@code sub} and IdP), so a token is worth
 * nothing to anyone else and dies after {@link #MAX_AGE}. Stateless, so any replica with the same
 * key ({@code gatehouse.admin.csrf-key}) accepts it. When browser sessions come, the session
 * handle joins the binding ({@link #binding}).
 */
@Singleton
public class CsrfTokens {
    /** How long a form stays usable after it was rendered. */
    static final Duration MAX_AGE = Duration.ofHours(12);
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;

    @Inject
    public CsrfTokens(GatehouseSettings settings, Clock clock) {
        this(settings.admin().csrfKey().map(CsrfTokens::decodeKey).orElseGet(CsrfTokens::randomKey), clock);
    }

    CsrfTokens(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.clock = clock;
    }

    /** A token for forms shown to {@code who}. */
    public String issue(AdminRequest who) {
        long issued = clock.instant().getEpochSecond();
        return issued + "." + mac(binding(who), issued);
    }

    /** Whether {@code token} was issued to {@code who} by a holder of the key, and is not too old. */
    public boolean valid(AdminRequest who, String token) {
        if (token == null || token.length() > 100) {
            return false;
        }
        int dot = token.indexOf('.');
        long issued;
        try {
            issued = Long.parseLong(token.substring(0, Math.max(dot, 0)));
        } catch (NumberFormatException e) {
            return false;
        }
        long age = clock.instant().getEpochSecond() - issued;
        if (age < -60 || age > MAX_AGE.toSeconds()) { // a minute of clock skew between replicas
            return false;
        }
        byte[] expected = mac(binding(who), issued).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    /** What a token is bound to: the admin's identity (later also the browser session). */
    static String binding(AdminRequest who) {
        return "gatehouse-console|" + who.subject() + "|" + who.idp();
    }

    private String mac(String binding, long issued) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] out = mac.doFinal((binding + "|" + issued).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decodeKey(String text) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("gatehouse.admin.csrf-key is not base64");
        }
        if (key.length < 32) {
            throw new ConfigurationException("gatehouse.admin.csrf-key must be at least 32 bytes (base64 of 32 "
                    + "random bytes: openssl rand -base64 32)");
        }
        return key;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
