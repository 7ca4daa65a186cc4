package dev.freshen.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes objects into the fabric8 model strictly. The model classes keep unknown fields in
 * {@code additionalProperties} (a Jackson any-setter) instead of failing, so after reading, the whole object graph is
 * walked and every non-empty {@code additionalProperties} is an unknown field: a typo, a field in the wrong place,
 * or one this Kubernetes version does not have.
 */
final class Strict {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private Strict() {
    }

    /** A built-in kind as its model class (unknown kinds come back as {@link GenericKubernetesResource}). */
    static HasMetadata read(JsonNode document) {
        try {
            return (HasMetadata) MAPPER.treeToValue(document, KubernetesResource.class);
        } catch (Exception e) {
            throw new AssertionError(describe(document) + ": not a valid object: " + e.getMessage(), e);
        }
    }

    /** Part of an object read as a model class (e.g. an HPA behavior inside a KEDA ScaledObject). */
    static <T> T read(JsonNode node, Class<T> type, String where) {
        T value;
        try {
            value = MAPPER.treeToValue(node, type);
        } catch (Exception e) {
            throw new AssertionError(where + ": not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        List<String> unknown = unknownFields(value, where);
        if (!unknown.isEmpty()) {
            throw new AssertionError("unknown fields: " + unknown);
        }
        return value;
    }

    /** Paths of the fields the model did not know (empty when everything was understood). */
    static List<String> unknownFields(Object model, String path) {
        List<String> unknown = new ArrayList<>();
        walk(model, path, unknown);
        return unknown;
    }

    static String describe(JsonNode document) {
        return document.path("kind").asText("?") + "/" + document.path("metadata").path("name").asText("?");
    }

    private static void walk(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()
                        && !(value instanceof GenericKubernetesResource)) {
                    extra.keySet().forEach(k -> unknown.add(path + ": unknown field '" + k + "'"));
                }
            } else {
                String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                walk(child, path + "." + name, unknown);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
