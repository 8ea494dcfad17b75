package dev.gatehouse.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The one profile of the hostile-input suite: the default configuration, except that the limit on
 * signature checks per client address is off, so that hundreds of forged tokens from 127.0.0.1 are
 * each answered by the verifier rather than by the rate limiter. It also names extra headers to
 * strip ({@code gatehouse.strip-headers}: one name, one prefix, in odd case) for
 * {@code HeaderAttacksTest}.
 */
public class HostileInputProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gatehouse.rate-limit.token-checks-per-ip", "0",
                "gatehouse.strip-headers", HeaderAttacksTest.CONFIGURED_STRIP_HEADERS);
    }
}
