package dev.freshen.descriptor;

/** A descriptor value that fails validation; the loader prefixes the field with its path in the file. */
public class InvalidField extends IllegalArgumentException {

    private final String field;
    private final String problem;

    public InvalidField(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    static <T> T required(T value, String field) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new InvalidField(field, "is required");
        }
        return value;
    }
}
