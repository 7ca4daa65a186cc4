package dev.freshen.watcher.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    private static final String KEY_A = "aaaaaaaaaaaaaaaa-key-a";
    private static final String KEY_B = "bbbbbbbbbbbbbbbb-key-b";
    private static final ApiKeys.Setting NONE = new ApiKeys.Setting(Optional.empty(), Optional.empty());

    @Test
    void theSingleKeyIsNamedDefaultAndNamedKeysKeepTheirNames(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("ci"), "  " + KEY_B + "\n");
        ApiKeys keys = ApiKeys.of(value(KEY_A), Map.of("ci-pipeline", new ApiKeys.Setting(Optional.empty(), Optional.of(file))));
        assertEquals(List.of("default", "ci-pipeline"), keys.names());
        assertEquals(Optional.of("default"), keys.nameOf(KEY_A));
        assertEquals(Optional.of("ci-pipeline"), keys.nameOf(KEY_B));
        assertEquals(Optional.empty(), keys.nameOf(KEY_B + "x"));
        assertEquals(Optional.empty(), keys.nameOf(""));
        assertFalse(keys.toString().contains(KEY_A), keys.toString());
    }

    @Test
    void severalKeysAtOnceAllowRotation() {
        Map<String, ApiKeys.Setting> both = new LinkedHashMap<>();
        both.put("ci", value(KEY_A));
        both.put("ci2", value(KEY_B));
        ApiKeys rotating = ApiKeys.of(NONE, both);
        assertEquals(Optional.of("ci"), rotating.nameOf(KEY_A));
        assertEquals(Optional.of("ci2"), rotating.nameOf(KEY_B));
        ApiKeys rotated = ApiKeys.of(NONE, Map.of("ci2", value(KEY_B)));
        assertEquals(Optional.empty(), rotated.nameOf(KEY_A), "a key rotated out is refused");
    }

    @Test
    void aShortKeyIsRefusedNamingTheSettingNeverTheKey() {
        String message = refused(NONE, Map.of("ci", value("short-key")));
        assertEquals("the watcher's API keys are not usable: freshen.watcher.api-keys.ci.key "
                + "(FRESHEN_WATCHER_API_KEYS_CI_KEY) is 9 characters long; an API key needs at least 16 "
                + "(e.g. openssl rand -hex 24)", message);
        assertTrue(refused(value("0123456789"), Map.of()).contains("freshen.watcher.api-key is 10 characters long"));
    }

    @Test
    void everyProblemIsReportedAtOnce(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Map<String, ApiKeys.Setting> named = new LinkedHashMap<>();
        named.put("both", new ApiKeys.Setting(Optional.of(KEY_A), Optional.of(empty)));
        named.put("neither", NONE);
        named.put("missing", new ApiKeys.Setting(Optional.empty(), Optional.of(dir.resolve("nope"))));
        named.put("empty", new ApiKeys.Setting(Optional.empty(), Optional.of(empty)));
        named.put("folder", new ApiKeys.Setting(Optional.empty(), Optional.of(dir)));
        named.put("ci.pipeline", value(KEY_A));
        named.put("default", value(KEY_B));
        named.put("again", value(KEY_B));
        String message = refused(value(KEY_A), named);
        for (String expected : List.of(
                "freshen.watcher.api-key and freshen.watcher.api-keys.default both set the key named default: keep one",
                "freshen.watcher.api-keys.both.key (FRESHEN_WATCHER_API_KEYS_BOTH_KEY) and freshen.watcher.api-keys.both.key-file "
                        + "(FRESHEN_WATCHER_API_KEYS_BOTH_KEY_FILE) are both set: keep one",
                "freshen.watcher.api-keys.neither.key (FRESHEN_WATCHER_API_KEYS_NEITHER_KEY) or "
                        + "freshen.watcher.api-keys.neither.key-file (FRESHEN_WATCHER_API_KEYS_NEITHER_KEY_FILE) must be set",
                "freshen.watcher.api-keys.missing.key-file (FRESHEN_WATCHER_API_KEYS_MISSING_KEY_FILE): no such file "
                        + dir.resolve("nope"),
                "freshen.watcher.api-keys.empty.key-file (FRESHEN_WATCHER_API_KEYS_EMPTY_KEY_FILE): the key in " + empty
                        + " is empty",
                "freshen.watcher.api-keys.folder.key-file (FRESHEN_WATCHER_API_KEYS_FOLDER_KEY_FILE): cannot read " + dir
                        + " (a folder, not a file)",
                "'ci.pipeline' (freshen.watcher.api-keys.ci.pipeline) is not an API key name: use lowercase letters, digits "
                        + "and '-', e.g. ci-pipeline",
                "the API keys named default and again are the same key")) {
            assertTrue(message.contains(expected), "missing: " + expected + "\nin: " + message);
        }
        assertFalse(message.contains(KEY_A) || message.contains(KEY_B), "keys are never in messages: " + message);
    }

    @Test
    void noKeyAtAllSaysHowToSetOne() {
        String message = refused(NONE, Map.of());
        assertTrue(message.contains("no API key for the watcher's write endpoints: set freshen.watcher.api-keys.<name>.key-file "
                + "(FRESHEN_WATCHER_API_KEYS_<NAME>_KEY_FILE) or freshen.watcher.api-key-file"), message);
    }

    @Test
    void aNameWithADashHasNoEnvironmentVariable() {
        assertEquals("freshen.watcher.api-keys.ci-pipeline.key-file", ApiKeys.property("ci-pipeline", "key-file"));
        assertEquals("freshen.watcher.api-keys.ci.key-file (FRESHEN_WATCHER_API_KEYS_CI_KEY_FILE)",
                ApiKeys.property("ci", "key-file"));
    }

    private static ApiKeys.Setting value(String key) {
        return new ApiKeys.Setting(Optional.of(key), Optional.empty());
    }

    private static String refused(ApiKeys.Setting single, Map<String, ApiKeys.Setting> named) {
        return assertThrows(IllegalStateException.class, () -> ApiKeys.of(single, named)).getMessage();
    }
}
