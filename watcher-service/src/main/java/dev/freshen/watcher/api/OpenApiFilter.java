package dev.freshen.watcher.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the API's rule for absent values into the OpenAPI document: a property a schema does not list as
 * {@code required} may be {@code null} (OpenAPI 3.1: {@code type: [string, "null"]}, or {@code anyOf} with
 * {@code {"type": "null"}} around a {@code $ref}), because the answers write fields without a value as {@code null}
 * (docs/api.md). Registered with {@code mp.openapi.filter}.
 */
public class OpenApiFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        for (Schema schema : openAPI.getComponents().getSchemas().values()) {
            if (schema.getProperties() == null) {
                continue;
            }
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            Map<String, Schema> properties = new LinkedHashMap<>();
            schema.getProperties().forEach((name, property) ->
                    properties.put(name, required.contains(name) ? property : nullable(property)));
            schema.setProperties(properties);
        }
    }

    static Schema nullable(Schema property) {
        if (property.getRef() != null) {
            return OASFactory.createSchema().addAnyOf(property).addAnyOf(nullType());
        }
        if (property.getAnyOf() != null) {
            boolean hasNull = property.getAnyOf().stream()
                    .anyMatch(s -> s.getType() != null && s.getType().contains(Schema.SchemaType.NULL));
            return hasNull ? property : property.addAnyOf(nullType());
        }
        if (property.getType() != null && !property.getType().isEmpty() && property.getEnumeration() == null
                && !property.getType().contains(Schema.SchemaType.NULL)) {
            property.addType(Schema.SchemaType.NULL);
        }
        return property;
    }

    private static Schema nullType() {
        return OASFactory.createSchema().addType(Schema.SchemaType.NULL);
    }
}
