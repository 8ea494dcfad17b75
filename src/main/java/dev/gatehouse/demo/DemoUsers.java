package dev.gatehouse.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** The demo's three people and what their tokens say about them and their devices. */
final class DemoUsers {
    record User(LongFunction<Map<String, Object>> claims) {
        Map<String, Object> claims(long now) {
            return claims.apply(now);
        }
    }

    static final Map<String, User> ALL = Map.of(
            // engineer on a compliant, freshly checked laptop, signed in with a second factor; also an
            // admin of Gatehouse (the realm role the default admin policy asks for)
            "alice", new User(now -> base("alice", "alice@demo.gatehouse.dev", List.of("engineering"), now,
                    Map.of("device_id", "laptop-alice", "device_compliant", true, "device_managed", true,
                            "device_trust", 3, "device_posture_at", now - 60,
                            "realm_access", Map.of("roles", List.of("gatehouse-admin"))))),
            // salesperson whose MDM writes "true" as a string: compliance unknown, so never compliant
            "bob", new User(now -> base("bob", "bob@demo.gatehouse.dev", List.of("sales"), now,
                    Map.of("device_id", "phone-bob", "device_compliant", "true", "device_posture_at", now - 60))),
            // engineer signing in from a device Gatehouse knows nothing about
            "carol", new User(now -> base("carol", "carol@demo.gatehouse.dev", List.of("engineering"), now, Map.of())));

    private DemoUsers() {
    }

    private static Map<String, Object> base(String sub, String email, List<String> groups, long now,
                                            Map<String, Object> device) {
        Map<String, Object> c = new HashMap<>(device);
        c.put("sub", sub);
        c.put("email", email);
        // the demo IdP has verified every address; without this the policy would not trust the email
        c.put("email_verified", true);
        c.put("preferred_username", sub);
        c.put("groups", groups);
        c.put("amr", List.of("pwd", "otp"));
        c.put("auth_time", now - 120);
        return c;
    }
}
