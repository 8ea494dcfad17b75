package dev.gatehouse.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import dev.gatehouse.time.DurationConverter;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Process-level settings ({@code gatehouse.*} in application.properties, system properties or
 * environment variables such as {@code GATEHOUSE_CONFIG}). Per-app settings live in the YAML file.
 */
@ConfigMapping(prefix = "gatehouse")
public interface GatehouseSettings {

    /**
     * Path of the YAML config file. Required: without it Gatehouse refuses to start, unless
     * {@code gatehouse.demo=true} asks for the embedded demo.
     */
    Optional<String> config();

    /** Hot reload of the config file. */
    @WithName("config-reload")
    ConfigReload configReload();

    /**
     * The config file is watched and reloaded when its content changes, and on SIGHUP. Only the YAML
     * file is reloaded: these {@code gatehouse.*} process settings are read once at startup.
     */
    interface ConfigReload {
        /** Watch the file and reload on SIGHUP; off: the file is read once, at startup. */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long the file must stay quiet after a change before it is read: an editor's write,
         * rename and chmod, or a Kubernetes ConfigMap update, then cost one reload, not three.
         */
        @WithDefault("200ms")
        @WithConverter(DurationConverter.class)
        Duration debounce();
    }

    /** Directory for generated state (assertion signing keys). */
    @WithName("data-dir")
    @WithDefault(".gatehouse-data")
    String dataDir();

    /**
     * CIDRs of proxies in front of Gatehouse whose {@code X-Forwarded-For} is believed; empty by
     * default, so the peer address is the client address.
     */
    @WithName("trusted-proxies")
    Optional<List<String>> trustedProxies();

    /**
     * More request headers to remove before forwarding, on top of the built-in list (Gatehouse's
     * own, other proxies' identity headers, forwarding and path-override headers): names in any
     * case; an entry ending in {@code *} is a prefix ({@code X-Corp-Sso-*}). For upstreams that
     * trust a header of their own, e.g. from a previous SSO setup.
     */
    @WithName("strip-headers")
    Optional<List<String>> stripHeaders();

    /** The upstream assertion. */
    Assertion assertion();

    /** The verified-token cache. */
    @WithName("token-cache")
    TokenCache tokenCache();

    /** Memory the process gives back to the system. */
    Memory memory();

    /** The decision log. */
    @WithName("decision-log")
    DecisionLog decisionLog();

    /** Upstream connection pools. */
    Upstream upstream();

    /** The embedded demo. */
    Demo demo();

    /** Long-lived connections. */
    Websocket websocket();

    /** Graceful shutdown (applied through {@code quarkus.shutdown.*} in application.properties). */
    Shutdown shutdown();

    /** The admin API on the admin host of the data port. */
    Admin admin();

    /** The versioned store of apps written through the admin API, with its audit log. */
    Store store();

    /** Browser sign-in and sessions ({@code login: browser} and {@code both} apps). */
    Session session();

    /**
     * Browser sessions: how long they live, where their cookie is valid, how their state is
     * encrypted at rest. Apps may shorten or lengthen the two lifetimes ({@code session:} in the YAML).
     */
    interface Session {
        /** How long after sign-in a session may be used at most (then the person signs in again). */
        @WithName("max-age")
        @WithDefault("12h")
        @WithConverter(DurationConverter.class)
        Duration maxAge();

        /** How long a session may go unused before it is refused. */
        @WithName("idle-timeout")
        @WithDefault("1h")
        @WithConverter(DurationConverter.class)
        Duration idleTimeout();

        /**
         * A parent domain ({@code corp.example}) whose hosts share one sign-in: the cookie
         * {@code gatehouse_session} is set with {@code Domain=} for hosts under it. Absent, or for
         * a host outside it, the cookie is host-only ({@code __Host-gatehouse_session}).
         */
        @WithName("cookie-domain")
        Optional<String> cookieDomain();

        /** How long a sign-in may take between leaving for the IdP and coming back (state cookie lifetime). */
        @WithName("login-timeout")
        @WithDefault("10m")
        @WithConverter(DurationConverter.class)
        Duration loginTimeout();

        /** How often the key that encrypts session state at rest is replaced (old keys still decrypt). */
        @WithName("key-rotation")
        @WithDefault("7d")
        @WithConverter(DurationConverter.class)
        Duration keyRotation();
    }

    /**
     * The admin API: served only on {@link #host()}, guarded by {@link #policy()} (decided by the
     * same engine as any app) for callers of {@link #idp()}.
     */
    interface Admin {
        /** The host name the admin API answers on (the data port); apps may not claim it. */
        @WithDefault("admin.localhost")
        String host();

        /**
         * The admin policy, YAML or JSON text in the policy language (as an app's {@code policy:}).
         * Default: the role {@code gatehouse-admin} and a compliant device.
         */
        @WithDefault("{allow: {and: [{roles: {has: gatehouse-admin}}, {device: {compliant: true}}]}}")
        String policy();

        /**
         * The IdP (an id under {@code idps:}) whose bearer tokens the admin API accepts. Absent: the
         * only IdP when the config has exactly one; with several, the admin API is off until set.
         */
        Optional<String> idp();

        /** Largest request body the admin API reads (413 beyond). */
        @WithName("max-body-size")
        @WithDefault("256K")
        @WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxBodySize();

        /**
         * The key of the admin console's form tokens (CSRF), base64 of at least 32 bytes; the same on
         * every replica. Absent: a random key per process (a form opened before a restart is refused
         * and asks to be reloaded).
         */
        @WithName("csrf-key")
        Optional<String> csrfKey();
    }

    /**
     * Where the store lives. Without {@link #url()}, an embedded H2 database in the data directory
     * (one process); with it, PostgreSQL (any number of replicas).
     */
    interface Store {
        /** JDBC URL of a PostgreSQL database ({@code jdbc:postgresql://host:5432/gatehouse}). */
        Optional<String> url();

        /** PostgreSQL user (e.g. from the environment variable {@code GATEHOUSE_STORE_USERNAME}). */
        Optional<String> username();

        /** PostgreSQL password (e.g. from {@code GATEHOUSE_STORE_PASSWORD}); never in a file. */
        Optional<String> password();

        /**
         * How often each replica compares the store's change counter with what it enforces and
         * re-reads what differs: the safety net under PostgreSQL's change notices (a notice lost
         * while the listening connection was down), and how a replica that started or ran without
         * the store notices it is back.
         */
        @WithName("check-interval")
        @WithDefault("PT5S")
        @WithConverter(DurationConverter.class)
        Duration checkInterval();

        /**
         * Key that seals the assertion signing keys and the session keys kept in PostgreSQL
         * (AES-256-GCM): 32 bytes, base64 ({@code openssl rand -base64 32}), e.g. from the
         * environment variable {@code GATEHOUSE_STORE_KEY}; the same on every replica. Required with
         * PostgreSQL unless a key file signs (then the session keys stay unsealed, warned at start);
         * unused with the embedded store, whose keys stay in the data directory. Rotated with
         * {@link #previousKeys()} and {@code POST /api/v1/store-key/reseal}.
         */
        Optional<String> key();

        /**
         * Sealing keys that unseal but never seal: while rotating {@link #key()}, the old key (or,
         * before the switch, the new one), comma-separated, each 32 bytes in base64, e.g. from
         * {@code GATEHOUSE_STORE_PREVIOUS_KEYS}. The current key listed again is ignored.
         */
        @WithName("previous-keys")
        Optional<List<String>> previousKeys();

        /**
         * Whether replicas on PostgreSQL hear of each other's writes at once through LISTEN/NOTIFY
         * (a dedicated connection each). Off, for a connection pooler that cannot hold a LISTEN
         * (PgBouncer in transaction mode), changes propagate by the periodic check alone
         * ({@link #checkInterval()}).
         */
        @WithDefault("true")
        boolean listen();
    }

    /** On SIGTERM: readiness reports DOWN for the delay, then in-flight requests get the drain time. */
    interface Shutdown {
        /** How long readiness reports DOWN before the server stops taking requests. */
        @WithName("readiness-delay")
        @WithDefault("3s")
        String readinessDelay();

        /** How long in-flight requests may take to finish once the server stops taking new ones. */
        @WithName("drain-timeout")
        @WithDefault("30s")
        String drainTimeout();
    }

    /** Client connections: deadlines for slow clients and a per-address cap. */
    Connection connection();

    /**
     * Deadlines that bound what a slow or silent client can hold (slowloris), and a cap on
     * connections per client address. Applied to the data port by
     * {@code dev.gatehouse.gateway.connection.ClientConnections}.
     */
    interface Connection {
        /**
         * A new connection must deliver a complete request head (TLS handshake included) within
         * this time, however slowly its bytes trickle in; then it is closed.
         */
        @WithName("head-timeout")
        @WithDefault("PT10S")
        @WithConverter(DurationConverter.class)
        Duration headTimeout();

        /**
         * A keep-alive connection must deliver the next complete request head within this time of
         * the previous response ending; then it is closed. Open WebSockets and HTTP/2 connections
         * are exempt (the idle timeout and the WebSocket re-check govern them).
         */
        @WithName("keep-alive-timeout")
        @WithDefault("PT75S")
        @WithConverter(DurationConverter.class)
        Duration keepAliveTimeout();

        /**
         * Open connections allowed per client (TCP peer) address; one more is closed at once.
         * 0 (default) means no cap: behind a load balancer every client shares its address.
         */
        @WithName("max-per-ip")
        @WithDefault("0")
        int maxPerIp();
    }

    /** Native public-key code; read as a JVM system property (see {@link Crypto#nativeEnabled}). */
    Crypto crypto();

    /**
     * {@code gatehouse.crypto.native}: whether the native crypto provider ({@code crypto.NativeCrypto})
     * may load. {@code NativeCrypto} reads the JVM system property itself, when its class
     * initialises, before and outside CDI; it is declared here so that the documented
     * {@code -Dgatehouse.crypto.native=false} is a known key: every {@code gatehouse.*} key is
     * checked against this mapping at start, and an undeclared one stopped Gatehouse from starting.
     */
    interface Crypto {
        /** {@code false}: the JDK's RSA, BouncyCastle's ECDSA and BoringSSL's own TLS signatures. */
        @WithName("native")
        @WithDefault("true")
        boolean nativeEnabled();
    }

    /** Rate limits (429 with Retry-After). */
    @WithName("rate-limit")
    RateLimit rateLimit();

    /** Requests per second allowed on average (bursts up to twice that); 0 disables a limit. */
    interface RateLimit {
        /** Per client address; off by default (offices share addresses behind NAT). */
        @WithName("per-ip")
        @WithDefault("0")
        double perIp();

        /** Per authenticated user (IdP and subject); off by default. */
        @WithName("per-user")
        @WithDefault("0")
        double perUser();

        /**
         * Signature checks (tokens not yet in the verified-token cache) per client address; on by
         * default, so a flood of forged or random tokens cannot buy unbounded RSA work.
         */
        @WithName("token-checks-per-ip")
        @WithDefault("20")
        double tokenChecksPerIp();
    }

    /** Settings of open WebSockets. */
    interface Websocket {
        /** How often an open WebSocket is re-checked against the current policy and its token's expiry. */
        @WithName("recheck-interval")
        @WithDefault("PT15S")
        @WithConverter(DurationConverter.class)
        Duration recheckInterval();
    }

    /** Settings of the signed {@code X-Gatehouse-Assertion}. */
    interface Assertion {
        /** The {@code iss} of assertions. */
        @WithDefault("https://gatehouse.local")
        String issuer();

        /** Lifetime of an assertion; at most 5 minutes. */
        @WithDefault("PT2M")
        @WithConverter(DurationConverter.class)
        Duration ttl();

        /** PEM (PKCS#8) EC P-256 private key to sign with; absent: generated and persisted in the data dir. */
        @WithName("key-file")
        Optional<String> keyFile();
    }

    /** Settings of the cache of verified tokens. */
    interface TokenCache {
        /** Most tokens kept; the least recently used go first. */
        @WithName("max-size")
        @WithDefault("100000")
        long maxSize();
    }

    /** Memory the process gives back to the system. */
    interface Memory {
        /**
         * How often the C heap's free memory is handed back to the system (glibc {@code malloc_trim};
         * {@code dev.gatehouse.lifecycle.NativeHeapTrim}); {@code 0s} turns it off.
         */
        @WithName("trim-interval")
        @WithDefault("30s")
        @WithConverter(DurationConverter.class)
        Duration trimInterval();

        /**
         * A trim is made only when the process's anonymous resident memory ({@code RssAnon}) grew by
         * at least this many MiB since the last one: a trim is milliseconds of CPU on the core the
         * event loop needs, and holds off every safepoint while it runs, so one that has nothing to
         * give back is skipped. {@code 0}: trim at every interval.
         */
        @WithName("trim-min-growth-mb")
        @WithDefault("16")
        int trimMinGrowthMb();
    }

    /** Settings of the JSON decision log. */
    interface DecisionLog {
        /** Fraction of allowed requests logged (0..1); denials are always logged. */
        @WithName("allow-sample-rate")
        @WithDefault("1.0")
        double allowSampleRate();

        /** {@code stdout} (batched, default), {@code logger} (the application log), or a file path. */
        @WithDefault("stdout")
        String output();
    }

    /** Settings of upstream connections. */
    interface Upstream {
        /** HTTP/1.1 connections kept per upstream. */
        @WithName("pool-size")
        @WithDefault("256")
        int poolSize();

        /** Time allowed to open a connection (502 beyond). */
        @WithName("connect-timeout")
        @WithDefault("PT5S")
        @WithConverter(DurationConverter.class)
        Duration connectTimeout();
    }

    /** The embedded demo (a development IdP, two demo apps and their policies). */
    interface Demo {
        /**
         * {@code gatehouse.demo=true} (or {@code GATEHOUSE_DEMO=true}) runs the demo when no config
         * file is given; off by default, so a missing config is an error, never a demo in production.
         */
        @WithParentName
        @WithDefault("false")
        boolean enabled();

        @WithName("idp-port")
        @WithDefault("9080")
        int idpPort();

        @WithName("first-app-port")
        @WithDefault("9081")
        int firstAppPort();
    }

    /** Revocations (admin API {@code /api/v1/revocations}) as every replica enforces them. */
    Revocation revocation();

    /** Settings of revocations. */
    interface Revocation {
        /**
         * How often each replica re-reads the revocations from the store, besides the change notices
         * it gets at once: the bound on how late a lost notice is made up for.
         */
        @WithName("refresh-interval")
        @WithDefault("PT5S")
        @WithConverter(DurationConverter.class)
        Duration refreshInterval();
    }

    /** OpenID Back-Channel Logout 1.0 at {@code /.gatehouse/backchannel-logout}. */
    @WithName("backchannel-logout")
    BackchannelLogout backchannelLogout();

    /** Settings of back-channel logout. */
    interface BackchannelLogout {
        /**
         * How old (by its {@code iat}) a logout token may be and still be accepted; its {@code jti}
         * is remembered this long (plus the clock skew) to refuse replays.
         */
        @WithName("max-token-age")
        @WithDefault("PT5M")
        @WithConverter(DurationConverter.class)
        Duration maxTokenAge();
    }

    /** TLS on the data port (the certificate itself: {@code quarkus.http.ssl.certificate.*}). */
    Tls tls();

    /** How client TLS is terminated. */
    interface Tls {
        /**
         * {@code openssl}: BoringSSL through netty-tcnative (bundled for linux-x86_64; elsewhere
         * Gatehouse falls back to the JDK's and says so at startup); {@code jdk}: the JDK's own TLS.
         */
        @WithName("engine")
        @WithDefault("openssl")
        String engine();
    }
}
