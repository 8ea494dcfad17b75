package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.route.Snapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code gatehouse policy check|test}: validates a config file offline and runs case files against
 * its policies. See the {@linkplain dev.gatehouse.cli package documentation} for the case format.
 *
 * <p>Exit codes: {@code 0} all good; {@code 1} the config is invalid ({@code check}) or a case failed
 * or could not run ({@code test}); {@code 2} usage error, unreadable argument, or ({@code test}) an
 * invalid config.
 */
public final class PolicyCommand {
    static final String USAGE = """
            usage: gatehouse policy check <config.yaml>
                   gatehouse policy test <config.yaml> <cases.yaml|dir>...

              check   validate the config file offline; print every error with its YAML path
              test    validate the config, then run the test cases against its policies
                      (a directory means every *.yaml / *.yml file in it)

            ${VAR} references are resolved from the environment; unset ones get a placeholder.
            exit codes: 0 ok, 1 invalid config (check) or failed cases (test), 2 usage or invalid config (test)""";

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    private final Clock clock;
    private final Map<String, String> environment;
    private final boolean color;

    /**
     * @param clock       the time of cases that give none
     * @param environment resolves {@code ${VAR}} in the config; unset names get a placeholder
     * @param color       use ANSI colours in the output
     */
    public PolicyCommand(Clock clock, Map<String, String> environment, boolean color) {
        this.clock = clock;
        this.environment = environment;
        this.color = color;
    }

    /** The command as the process runs it: system clock and environment, colour only on a terminal without NO_COLOR. */
    public static PolicyCommand standard() {
        return new PolicyCommand(Clock.systemUTC(), System.getenv(), isTerminal() && System.getenv("NO_COLOR") == null);
    }

    private static boolean isTerminal() {
        Object console = System.console();
        if (console == null) {
            return false;
        }
        try { // Java 22+ returns a console even when redirected; ask it when it can tell
            Method m = console.getClass().getMethod("isTerminal");
            return Boolean.TRUE.equals(m.invoke(console));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    /**
     * @param args the arguments after {@code policy}
     * @return the exit code
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        switch (args[0]) {
            case "check":
                if (args.length != 2) {
                    err.println(USAGE);
                    return 2;
                }
                return check(Path.of(args[1]), out, err);
            case "test":
                if (args.length < 3) {
                    err.println(USAGE);
                    return 2;
                }
                List<Path> inputs = new ArrayList<>();
                for (int i = 2; i < args.length; i++) {
                    inputs.add(Path.of(args[i]));
                }
                return test(Path.of(args[1]), inputs, out, err);
            case "help":
            case "-h":
            case "--help":
                out.println(USAGE);
                return 0;
            default:
                err.println("unknown policy command '" + args[0] + "'");
                err.println(USAGE);
                return 2;
        }
    }

    private int check(Path configFile, PrintStream out, PrintStream err) {
        if (!Files.isRegularFile(configFile)) {
            err.println(configFile + ": no such file");
            return 2;
        }
        GatehouseConfig config = load(configFile, err);
        if (config == null) {
            return 1;
        }
        out.println(paint(GREEN, "OK") + ": " + config.idps().size() + " IdP(s), " + config.apps().size() + " app(s)");
        return 0;
    }

    private int test(Path configFile, List<Path> inputs, PrintStream out, PrintStream err) {
        if (!Files.isRegularFile(configFile)) {
            err.println(configFile + ": no such file");
            return 2;
        }
        List<Path> caseFiles = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> files = Files.list(input)) {
                    List<Path> found = files.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                            .sorted().toList();
                    if (found.isEmpty()) {
                        err.println(input + ": no *.yaml case files in this directory");
                        return 2;
                    }
                    caseFiles.addAll(found);
                } catch (IOException e) {
                    err.println(input + ": cannot list directory: " + e.getMessage());
                    return 2;
                }
            } else if (Files.isRegularFile(input)) {
                caseFiles.add(input);
            } else {
                err.println(input + ": no such file or directory");
                return 2;
            }
        }
        GatehouseConfig config = load(configFile, err);
        if (config == null) {
            return 2;
        }
        CaseRunner runner = new CaseRunner(Snapshot.of(config, 1));
        CaseFileReader reader = new CaseFileReader(clock.instant());
        int passed = 0;
        int failed = 0;
        int errors = 0;
        for (Path file : caseFiles) {
            CaseFileReader.CaseFile parsed = reader.read(file);
            for (String e : parsed.errors()) {
                out.println(paint(YELLOW, "ERROR") + " " + file + ": " + e);
                errors++;
            }
            for (CaseFileReader.Entry entry : parsed.entries()) {
                if (!entry.errors().isEmpty()) {
                    for (String e : entry.errors()) {
                        out.println(paint(YELLOW, "ERROR") + " " + file + " " + e);
                    }
                    errors++;
                    continue;
                }
                String why;
                try {
                    why = CaseRunner.mismatch(entry.testCase().expect(), runner.run(entry.testCase()));
                } catch (CaseRunner.CaseError e) {
                    out.println(paint(YELLOW, "ERROR") + " " + entry.label() + "  " + e.getMessage());
                    errors++;
                    continue;
                }
                if (why == null) {
                    out.println(paint(GREEN, "PASS") + "  " + entry.label());
                    passed++;
                } else {
                    out.println(paint(RED, "FAIL") + "  " + entry.label() + "  " + why);
                    failed++;
                }
            }
        }
        String summary = passed + " passed, " + failed + " failed" + (errors > 0 ? ", " + errors + " error"
                + (errors == 1 ? "" : "s") : "");
        out.println(failed + errors == 0 ? paint(GREEN, summary) : paint(RED, summary));
        return failed + errors == 0 && passed > 0 ? 0 : 1;
    }

    /** Loads the config, printing every error; null when invalid. */
    private GatehouseConfig load(Path configFile, PrintStream err) {
        LenientEnvironment env = new LenientEnvironment(environment);
        try {
            GatehouseConfig config = ConfigLoader.withEnvironment(env).load(configFile);
            noteUnset(env, err);
            return config;
        } catch (ConfigException e) {
            noteUnset(env, err);
            for (String error : e.errors()) {
                err.println(configFile + ": " + error);
            }
            int n = e.errors().size();
            err.println(paint(RED, "INVALID") + ": " + n + " error" + (n == 1 ? "" : "s") + " in " + configFile);
            return null;
        } catch (RuntimeException e) {
            // the loader should report every fault as a ConfigException; never answer with a stack trace
            noteUnset(env, err);
            err.println(configFile + ": cannot validate: " + e);
            err.println(paint(RED, "INVALID") + ": " + configFile);
            return null;
        }
    }

    private void noteUnset(LenientEnvironment env, PrintStream err) {
        for (String name : env.unsetNames()) {
            err.println("note: ${" + name + "} is not set; checked with a placeholder");
        }
    }

    private String paint(String colour, String text) {
        return color ? colour + text + RESET : text;
    }
}
