package dev.freshen.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** The values of a class's public static String constants, for tests that must cover each (problem codes, ids). */
public final class StringConstants {

    private StringConstants() {
    }

    /** The values of {@code type}'s public static final String fields, in declaration order. */
    public static List<String> of(Class<?> type) {
        List<String> values = new ArrayList<>();
        for (Field field : type.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                try {
                    values.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }
}
