package dev.freshen.watcher.api;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.schedule.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code GET /api/v1/runs?image=}: an image the watcher knows has runs (maybe none), watched or invalid; only an id
 * it does not know at all is {@code 404 unknown-image}, with the near ids of both kinds.
 */
class RunsResourceTest {

    @TempDir
    Path root;

    @Test
    void anInvalidImageIsKnownItsRunsAreListedNotAnUnknownImage() throws IOException {
        write("team/web", "target: {repository: team/web, tagPrefix: '1.0'}\n");
        write("team/api", "target: {repository: team/api, tagPrefix: '1.0'}\nnotfy: [teams]\n");
        RunsResource runs = resource();

        assertEquals(List.of(), runs.list("team/web", null).runs());
        assertEquals(List.of(), runs.list("team/api", null).runs());

        ApiProblem unknown = assertThrows(ApiProblem.class, () -> runs.list("team/apj", null));
        assertEquals(404, unknown.status());
        assertEquals("unknown-image", unknown.code());
        assertEquals("did you mean team/api?", unknown.problem().hint());
        assertEquals(List.of("team/api", "team/web"), RunsResource.ids(runs.catalog.get()));
    }

    private RunsResource resource() {
        RunsResource runs = new RunsResource();
        runs.ledger = new RunLedger();
        runs.catalog = new Catalog(new PlatformImageCatalog(root));
        return runs;
    }

    private void write(String id, String descriptor) throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        Files.writeString(folder.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(folder.resolve("platform-image.yaml"), descriptor);
    }
}
