package dev.gatehouse;

import dev.gatehouse.cli.DoctorCommand;
import dev.gatehouse.cli.PolicyCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The process entry point. {@code java -jar quarkus-run.jar policy ...} runs the offline
 * {@link PolicyCommand} (config validation and policy tests) and {@code doctor ...} the
 * {@link DoctorCommand} (contacts IdPs and upstreams) without starting Quarkus: no HTTP server,
 * nothing bound. Any other arguments start the proxy exactly as before.
 */
@QuarkusMain
public final class GatehouseMain {
    private GatehouseMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && (args[0].equals("policy") || args[0].equals("doctor"))) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            int code = args[0].equals("policy") ? PolicyCommand.standard().run(rest, System.out, System.err)
                    : DoctorCommand.standard().run(rest, System.out, System.err);
            System.out.flush();
            System.err.flush();
            System.exit(code);
            return;
        }
        Quarkus.run(args);
    }
}
