package dev.freshen.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A front for a real registry that serves its tag lists in pages as the distribution spec describes and v3
 * registries and Docker Hub do ({@code n}, {@code last}, lexical order, {@code Link: <...>; rel="next"}): the
 * {@code docker-registry} 2.8 of this machine returns all tags at once, whatever {@code n} says.
 */
final class TagPages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TagPages() {
    }

    static ScriptedServer over(String registryHost) {
        return ScriptedServer.start((number, request) -> {
            URI uri = URI.create(request.path());
            if (!request.method().equals("GET") || !uri.getPath().endsWith("/tags/list")) {
                return ScriptedServer.Reply.of(404);
            }
            HttpResponse<byte[]> all = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://" + registryHost + uri.getRawPath())).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (all.statusCode() != 200) {
                return ScriptedServer.Reply.of(all.statusCode()).body(all.body());
            }
            JsonNode list = JSON.readTree(all.body());
            List<String> tags = new ArrayList<>();
            list.path("tags").forEach(t -> tags.add(t.asText()));
            tags.sort(null);
            Map<String, String> query = query(uri.getRawQuery());
            int n = Integer.parseInt(query.getOrDefault("n", "100"));
            String last = query.get("last");
            List<String> rest = tags.stream().filter(t -> last == null || t.compareTo(last) > 0).toList();
            List<String> page = rest.subList(0, Math.min(n, rest.size()));
            ScriptedServer.Reply reply = ScriptedServer.Reply.of(200).header("Content-Type", "application/json")
                    .body(JSON.writeValueAsBytes(Map.of("name", list.path("name").asText(), "tags", page)));
            if (rest.size() > n) {
                reply = reply.header("Link", "<" + uri.getRawPath() + "?last=" + page.get(page.size() - 1) + "&n=" + n
                        + ">; rel=\"next\"");
            }
            return reply;
        });
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
