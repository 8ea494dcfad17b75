package dev.gatehouse.policy;

/**
 * Compiles a policy document (a JSON-like tree of Map, List, String, Number, Boolean, as parsed
 * from YAML or JSON) into a {@link CompiledPolicy}, reporting every error at once with its path.
 */
public final class PolicyCompiler {
    private PolicyCompiler() {
    }

    /**
     * @param document the policy object ({@code {allow: ..., deny: ...}}); null means "no policy" (denies all)
     * @param basePath the path of the document in its file, prefixed to every error path
     *                 (e.g. {@code apps[2].policy}); empty for none
     * @param version  the version recorded in every decision
     */
    public static CompileResult compile(Object document, String basePath, long version) {
        throw new UnsupportedOperationException("TODO");
    }
}
