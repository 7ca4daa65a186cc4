package dev.freshen.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Files of this repository: found by walking up from the working directory to the Maven parent. */
final class RepoFiles {

    private static final Path ROOT = findRoot();

    private RepoFiles() {
    }

    static Path root() {
        return ROOT;
    }

    static Path k8s() {
        return ROOT.resolve("deploy/k8s");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service's src/main/resources/application.properties (the jars on the classpath all carry one). */
    static Properties applicationProperties(String service) {
        Path file = ROOT.resolve(service + "-service/src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String pom(String service) {
        return read(ROOT.resolve(service + "-service/pom.xml"));
    }

    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isDirectory(dir.resolve("deploy/k8s")) && Files.isRegularFile(pom)
                    && read(pom).contains("<artifactId>freshen-parent</artifactId>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no Freshen repository (pom.xml of freshen-parent and deploy/k8s) above "
                + Path.of("").toAbsolutePath());
    }
}
