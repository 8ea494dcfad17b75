package dev.gatehouse.admin.console;

import dev.gatehouse.admin.console.AppForm.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every console form has: its errors, each at the field that holds it. The pages read them
 * three ways: the summary at the top ({@link #errors()}), the messages next to a field
 * ({@link #errorsAt(String)}) and {@code aria-invalid} ({@link #invalid(String)}).
 */
public abstract class FormErrors {
    /** Added to by the form's own checks and by the API's errors mapped onto its fields. */
    protected final List<FieldError> errors = new ArrayList<>();

    public List<FieldError> errors() {
        return errors;
    }

    /** The errors at one field. */
    public List<FieldError> errorsAt(String field) {
        return errors.stream().filter(e -> e.field().equals(field)).toList();
    }

    /** Whether a field has errors (for {@code aria-invalid}). */
    public boolean invalid(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** A blank field is left out of the API request, as if it had not been sent. */
    protected static void putIfSet(Map<String, Object> into, String key, String value) {
        if (!value.isEmpty()) {
            into.put(key, value);
        }
    }
}
