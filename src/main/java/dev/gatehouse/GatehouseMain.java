package dev.gatehouse;

import dev.gatehouse.cli.PolicyCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The process entry point. {@code java -jar quarkus-run.jar policy ...} runs the offline
 * {@link PolicyCommand} (config validation and policy tests) without starting Quarkus: no HTTP
 * server, no IdP contact, nothing bound. Any other arguments start the proxy exactly as before.
 */
@QuarkusMain
public final class GatehouseMain {
    private GatehouseMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("policy")) {
            int code = PolicyCommand.standard().run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
            System.out.flush();
            System.err.flush();
            System.exit(code);
            return;
        }
        Quarkus.run(args);
    }
}
