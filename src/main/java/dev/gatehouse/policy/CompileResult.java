package dev.gatehouse.policy;

import java.util.List;

/**
 * The outcome of compiling a policy: either a policy or every error found, never both.
 */
public record CompileResult(CompiledPolicy policy, List<PolicyError> errors) {
    public CompileResult {
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
