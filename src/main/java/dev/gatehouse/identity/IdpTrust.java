package dev.gatehouse.identity;

import dev.gatehouse.config.IdpCa;
import dev.gatehouse.config.IdpConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.PemTrustOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One Vert.x client per trust setting of the IdPs ({@code idps.<id>.ca-file}): an IdP with a private
 * CA is reached by a client that trusts that CA and nothing else; every other IdP by one client on
 * the JVM's trust store. Host names are verified either way.
 *
 * @param <C> the client type (HttpClient, WebClient)
 */
public final class IdpTrust<C> {
    /** The key of the clients that use the JVM's trust store (a map cannot hold a null key). */
    private static final Object JVM_TRUST = new Object();

    private final Function<IdpCa, C> factory;
    private final Map<Object, C> clients = new ConcurrentHashMap<>();

    /** @param factory makes a client for a CA (null: the JVM's trust store); see {@link #trusting} */
    public IdpTrust(Function<IdpCa, C> factory) {
        this.factory = factory;
    }

    /** The client for this IdP's endpoints. */
    public C clientFor(IdpConfig idp) {
        IdpCa ca = idp.ca();
        return clients.computeIfAbsent(ca == null ? JVM_TRUST : ca, k -> factory.apply(ca));
    }

    /** Sets the options to trust only {@code ca}, when there is one; the options are answered. */
    public static <O extends ClientOptionsBase> O trusting(IdpCa ca, O options) {
        if (ca != null) {
            options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.pem())));
        }
        return options;
    }
}
