package dev.freshen.watcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The body of every error the API answers: RFC 9457 problem details ({@code application/problem+json}) with two
 * extensions. {@code type} is {@code https://freshen.dev/problems/<code>}, an identifier of the kind of problem (not
 * fetched); {@code code} is the same id on its own, so that clients need not parse the URI; {@code title} is the same
 * for every problem of a kind; {@code detail} says what is wrong with this request, naming the thing; {@code hint}
 * says what to do. No text holds a Java class name, a stack trace or an API key. See docs/api.md for the codes.
 *
 * @param suggestions for {@code unknown-image}: the watched image ids closest to the one asked for (may be empty)
 * @param problems    for {@code image-not-watched}: every problem of the descriptor
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details, with the extensions code and hint",
        requiredProperties = {"type", "title", "status", "detail", "code"})
public record Problem(
        @Schema(description = "https://freshen.dev/problems/<code>: identifies the kind of problem", format = "uri",
                examples = "https://freshen.dev/problems/unknown-image") String type,
        @Schema(description = "the kind of problem, the same for every problem of the kind",
                examples = "Unknown platform image") String title,
        @Schema(description = "the HTTP status", minimum = "400", maximum = "599") int status,
        @Schema(description = "what is wrong with this request", examples = "unknown platform image 'net10/runtim'")
        String detail,
        @Schema(description = "the kind of problem as a stable id (docs/api.md lists them)", pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
                examples = "unknown-image") String code,
        @Schema(description = "what to do about it", examples = "did you mean net10/runtime?") String hint,
        @Schema(description = "unknown-image: the watched image ids closest to the one asked for")
        List<String> suggestions,
        @Schema(description = "image-not-watched: every problem of the image's descriptor, with where and what to do")
        List<ImagesResource.ProblemView> problems) {

    /** The media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** The base of every problem {@code type}: the code follows. */
    public static final String TYPE_BASE = "https://freshen.dev/problems/";
}
