package dev.gatehouse.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Values sealed as Gatehouse sealed them before sealing keys had ids, for tests of what reads them. */
public final class SealedValues {
    private SealedValues() {
    }

    /**
     * {@code v1:base64(iv || ciphertext+tag)}, AES-256-GCM under {@code base64Key} with
     * {@code associated} as additional data ({@code purpose + "\n" + kid} for a cluster key).
     */
    public static String v1(String base64Key, String associated, String text) {
        try {
            byte[] iv = new byte[12];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                    new GCMParameterSpec(128, iv));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return "v1:" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
