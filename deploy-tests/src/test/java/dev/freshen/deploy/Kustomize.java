package dev.freshen.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a kustomization with {@code kubectl kustomize} (the kubectl on PATH, or the one named by the system
 * property / environment variable {@code FRESHEN_KUBECTL}, e.g. Debian's kubectl 1.20 to check kustomize v2).
 */
final class Kustomize {

    private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** Every directory below deploy/k8s with a kustomization.yaml: base, addons/*, overlays/*. */
    static List<Path> kustomizations() {
        try (Stream<Path> files = Files.walk(RepoFiles.k8s())) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> overlays() {
        return kustomizations().stream().filter(d -> d.getParent().getFileName().toString().equals("overlays")).toList();
    }

    static Manifests overlay(String name) {
        return render(RepoFiles.k8s().resolve("overlays").resolve(name));
    }

    static Manifests render(Path dir) {
        return RENDERED.computeIfAbsent(dir, d -> Manifests.parse(RepoFiles.k8s().relativize(d).toString(), run(d)));
    }

    static String kubectl() {
        String configured = System.getProperty("FRESHEN_KUBECTL", System.getenv("FRESHEN_KUBECTL"));
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Path.of(dir, "kubectl").toString();
            }
        }
        throw new IllegalStateException("kubectl is not installed: the deployment tests render deploy/k8s with "
                + "`kubectl kustomize`. Install it (Debian: `apt-get install kubernetes-client`; or any kubectl 1.20+) "
                + "or point FRESHEN_KUBECTL at one.");
    }

    private static String run(Path dir) {
        try {
            Path out = Files.createTempFile("kustomize-", ".yaml");
            Path err = Files.createTempFile("kustomize-", ".err");
            try {
                Process process = new ProcessBuilder(kubectl(), "kustomize", dir.toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 2 minutes");
                }
                String stderr = Files.readString(err, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + RepoFiles.root().relativize(dir) + " failed ("
                            + process.exitValue() + "):\n" + stderr);
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kubectl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
