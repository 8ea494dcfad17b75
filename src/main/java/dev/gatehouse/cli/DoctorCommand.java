package dev.gatehouse.cli;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.ConfigText;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.IdpCa;
import dev.gatehouse.config.IdpConfig;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gatehouse doctor <config.yaml>}: checks, from where Gatehouse will run, everything the
 * config depends on outside itself, and says in plain words what would break: each IdP's discovery
 * document (reachable, and naming exactly the configured issuer), its JWKS (keys to verify tokens
 * with), its client credentials when a secret is configured (and, with the token they get, whether
 * the configured claims are there with the JSON types Gatehouse reads: {@link TokenClaims}), and each
 * app's upstream (answers at all). Exit 0 when nothing would break, 1 when something would, 2 for usage or an invalid config.
 */
public final class DoctorCommand {
    static final String USAGE = """
            usage: gatehouse doctor <config.yaml>
              contacts each IdP (discovery, keys, client credentials, token claims) and each upstream, and says what would break
            exit codes: 0 ok, 1 something would break, 2 usage or invalid config""";

    private final Map<String, String> environment;
    private final Duration timeout;

    /**
     * @param environment where {@code ${VAR}} references of the config are read
     * @param timeout     how long each contact may take
     */
    public DoctorCommand(Map<String, String> environment, Duration timeout) {
        this.environment = environment;
        this.timeout = timeout;
    }

    public static DoctorCommand standard() {
        return new DoctorCommand(System.getenv(), Duration.ofSeconds(5));
    }

    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println(USAGE);
            return 2;
        }
        GatehouseConfig config;
        Map<String, Set<String>> claimsAsked;
        try {
            ConfigText text = ConfigText.read(Path.of(args[0]));
            config = ConfigLoader.withEnvironment(environment).parse(text.text(), args[0]);
            // valid YAML by now: read again as a plain tree for the claim settings the file names
            claimsAsked = ClaimsAsked.of(config, ConfigLoader.yamlMapper().readValue(text.text(), Object.class));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println(args[0] + ": not valid YAML: " + e.getMessage());
            return 2;
        }
        HttpClient client = client(timeout).build();
        Probes probes = new Probes(client, timeout);
        List<Finding> findings = new ArrayList<>();
        for (IdpConfig idp : config.idps().values()) {
            // an IdP with a private CA (ca-file) is probed trusting that CA, as Gatehouse reaches it
            Probes idpProbes = idp.ca() == null ? probes
                    : new Probes(client(timeout).sslContext(idp.ca().sslContext()).build(), timeout);
            findings.addAll(idpProbes.idp(idp, claimsAsked.get(idp.id())));
        }
        for (AppConfig app : config.apps()) {
            findings.add(upstreamProbes(app, probes, timeout).upstream(app));
        }
        int failures = 0;
        for (Finding f : findings) {
            out.println(f.line());
            failures += f.severity() == Finding.Severity.FAIL ? 1 : 0;
        }
        out.println(failures == 0 ? "nothing would break" : failures + " problem" + (failures == 1 ? "" : "s")
                + " would break requests");
        return failures == 0 ? 0 : 1;
    }

    private static HttpClient.Builder client(Duration timeout) {
        return HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
    }

    /** The probes for an app's upstream: trusting its {@code upstream-ca} only, as Gatehouse does, when it has one. */
    private static Probes upstreamProbes(AppConfig app, Probes probes, Duration timeout) {
        if (app.upstreamCa() == null) {
            return probes;
        }
        try {
            IdpCa ca = new IdpCa(app.upstreamCa(), java.nio.file.Files.readString(Path.of(app.upstreamCa())));
            return new Probes(client(timeout).sslContext(ca.sslContext()).build(), timeout);
        } catch (java.io.IOException | RuntimeException e) {
            // unreadable: probed as Gatehouse would fail, through a client that trusts nothing of it
            return probes;
        }
    }
}
