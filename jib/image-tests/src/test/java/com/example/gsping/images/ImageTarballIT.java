package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two images exactly as the build wrote them (target/jib), read daemonlessly: the Docker-format
 * tarballs' manifest, config and layer blobs, and the files Jib wrote beside them.
 */
class ImageTarballIT {

    private static final String MAIN_CLASS = "com.example.gsping.Application";
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx48m", "-XX:MaxDirectMemorySize=32m", "-XX:+ExitOnOutOfMemoryError");
    private static final List<String> APP_LAYERS = List.of("dependencies", "resources", "classes", "jvm arg files");
    /** What Jib adds on top of a base in both images: the app, then the image's SBOM (an extra directory, so "extra files"). */
    private static final List<String> SHARED_LAYERS = List.of("dependencies", "resources", "classes", "jvm arg files", "extra files");
    /** multistage's own last layer, another extra directory: the class archive (jib/multistage/class-archive.sh) */
    private static final String CLASS_ARCHIVE_LAYER = "extra files";
    private static final String CLASS_ARCHIVE_FLAG = "-XX:SharedArchiveFile=/app/cds/app.jsa";
    private static final String CLASS_ARCHIVE_CLASSPATH_JAR = "/app/cds/classpath.jar";
    /** Small files whose contents the tests read; every {@code bin/java} for its ELF interpreter. */
    private static final Predicate<String> KEEP = path -> Set.of("/etc/passwd", "/etc/group", "/app/jib-classpath-file",
            "/app/jib-main-class-file").contains(path) || path.endsWith("/bin/java");

    private static final Map<String, ImageTarball> TARBALLS = new java.util.HashMap<>();
    private static final Map<String, ImageTarball.Layers> LAYERS = new java.util.HashMap<>();

    @BeforeAll
    static void readBothTarballs() throws IOException {
        for (String image : List.of(LATEST, MULTISTAGE)) {
            ImageTarball tarball = ImageTarball.open(BuildUnderTest.outputs(image).tarball());
            TARBALLS.put(image, tarball);
            LAYERS.put(image, tarball.readLayers(KEEP));
        }
    }

    @Test
    void multistageRunsAsNonroot65532WithTheJlinkedRuntimeOnPath() {
        JsonNode run = TARBALLS.get(MULTISTAGE).runConfig();
        assertEquals("65532:65532", run.get("User").getStringValue());
        Map<String, String> env = env(MULTISTAGE);
        assertEquals("/opt/java/bin", env.get("PATH"), env.toString());
        assertEquals("/opt/java", env.get("JAVA_HOME"), env.toString());
    }

    @Test
    void latestKeepsTheBaseImagesDefaultUserAndEnvironment() throws IOException {
        JsonNode user = TARBALLS.get(LATEST).runConfig().get("User");
        assertTrue(user == null || user.getStringValue().isEmpty(), "no User of its own (the base's default, root): " + user);
        Map<String, String> env = env(LATEST);
        assertTrue(env.containsKey("PATH") && env.containsKey("JAVA_HOME"), env.toString());
        var baseTar = BuildUnderTest.latestBaseTarball();
        if (baseTar != null) { // built on a file (not -Ppublished-base): compare with the base itself
            JsonNode base = ImageTarball.open(baseTar).runConfig();
            assertEquals(Optional.ofNullable(base.get("User")).map(JsonNode::getStringValue).orElse(""),
                    user == null ? "" : user.getStringValue());
            Map<String, String> inherited = new java.util.LinkedHashMap<>(env);
            inherited.keySet().retainAll(envOf(base).keySet());
            assertEquals(envOf(base), inherited, "the base's environment (PATH, JAVA_HOME, …) unchanged");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void startsJavaInExecFormWithTheJvmFlagsAndJibsClasspathFile(String image) {
        JsonNode run = TARBALLS.get(image).runConfig();
        assertTrue(run.get("Entrypoint").isArray(), "exec form: a JSON array, no shell");
        assertNull(run.get("Cmd"), "no Cmd appended to the entrypoint");
        List<String> entrypoint = Json.strings(run.get("Entrypoint"));
        assertEquals("java", entrypoint.get(0), entrypoint.toString());
        assertEquals(List.of("-cp", "@/app/jib-classpath-file", MAIN_CLASS), entrypoint.subList(entrypoint.size() - 3, entrypoint.size()));
        List<String> flags = entrypoint.subList(1, entrypoint.size() - 3);
        assertTrue(flags.stream().allMatch(flag -> flag.startsWith("-")), "only JVM options before -cp: " + flags);
        assertTrue(flags.containsAll(JVM_FLAGS), "the pom's jvmFlags: " + flags);
        if (image.equals(MULTISTAGE)) {
            assertEquals(CLASS_ARCHIVE_FLAG, flags.get(flags.size() - 1), "the multistage start-up flag, appended");
            List<String> latest = Json.strings(TARBALLS.get(LATEST).runConfig().get("Entrypoint"));
            assertEquals(latest.subList(1, latest.size() - 3), flags.subList(0, flags.size() - 1), "the same shared flags as latest");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void javaOnPathTheClasspathAndTheMainClassAreAllInTheImage(String image) {
        ImageFs fs = LAYERS.get(image).fs();
        String path = env(image).get("PATH");
        assertTrue(List.of(path.split(":")).stream().map(dir -> fs.resolve(dir + "/java"))
                .anyMatch(java -> java != null && java.isExecutableFile()), "an executable java on PATH " + path);
        String classpath = fs.entry("/app/jib-classpath-file").contentAsString().strip();
        List<String> missing = List.of(classpath.split(":")).stream().filter(entry -> fs.resolve(entry) == null).toList();
        assertTrue(missing.isEmpty(), "classpath entries not in the image: " + missing);
        assertTrue(classpath.contains("/app/classes") && classpath.contains("/app/resources") && classpath.contains("/app/libs/"), classpath);
        // the class archive holds the classes of the jars before the first directory on the class path: its jar comes first
        assertEquals(image.equals(MULTISTAGE), classpath.startsWith(CLASS_ARCHIVE_CLASSPATH_JAR + ":"), classpath);
        assertEquals(MAIN_CLASS, fs.entry("/app/jib-main-class-file").contentAsString().strip());
        assertNotNull(fs.resolve("/app/classes/" + MAIN_CLASS.replace('.', '/') + ".class"));
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void exposesExactly8080Tcp(String image) {
        JsonNode ports = TARBALLS.get(image).runConfig().get("ExposedPorts");
        List<String> exposed = new ArrayList<>();
        ports.entries().forEach(entry -> exposed.add(entry.getKey()));
        assertEquals(List.of("8080/tcp"), exposed);
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void carriesTheSevenOciLabelsWithThisCommitAsRevisionAndItsTimeAsCreated(String image) throws Exception {
        Map<String, String> labels = Json.stringMap(TARBALLS.get(image).runConfig().get("Labels"));
        String oci = "org.opencontainers.image.";
        assertAll(
                () -> assertEquals("docker-gs-ping", labels.get(oci + "title")),
                () -> assertEquals(BuildUnderTest.DESCRIPTION, labels.get(oci + "description")),
                () -> assertTrue(labels.getOrDefault(oci + "source", "").matches("https://\\S+/docker-gs-ping\\S*"), labels.get(oci + "source")),
                () -> assertEquals("Apache-2.0", labels.get(oci + "licenses")),
                () -> {
                    Optional<String> head = GitHead.of(BuildUnderTest.PROJECT_DIR);
                    String created = TARBALLS.get(image).config().get("created").getStringValue();
                    assertEquals(created, labels.get(oci + "created"), "the created label is the config's creation time");
                    if (head.isPresent()) {
                        assertEquals(head.get(), labels.get(oci + "revision"), "revision = the commit checked out (git rev-parse HEAD)");
                        assertEquals(GitHead.commitTime(BuildUnderTest.PROJECT_DIR), Instant.parse(created), "created = the commit's time");
                        Set<String> versions = GitHead.releaseVersions(BuildUnderTest.PROJECT_DIR);
                        if (versions.isEmpty()) {
                            assertEquals(BuildUnderTest.VERSION + "-g" + head.get().substring(0, 7), labels.get(oci + "version"),
                                    "version = the pom's version with the commit when HEAD has no vX.Y.Z tag");
                        } else {
                            assertTrue(versions.contains(labels.get(oci + "version")), "version = HEAD's tag " + versions + ": " + labels.get(oci + "version"));
                        }
                    } else { // built outside a git work tree: the documented fixed values
                        assertEquals(BuildUnderTest.VERSION, labels.get(oci + "version"));
                        assertEquals("unknown", labels.get(oci + "revision"));
                        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse(created));
                    }
                });
        if (image.equals(MULTISTAGE)) { // on the runtime base: only its recipe label is inherited
            assertEquals(Set.of("title", "description", "source", "version", "revision", "licenses", "created"),
                    labels.keySet().stream().filter(key -> key.startsWith(oci)).map(key -> key.substring(oci.length())).collect(Collectors.toSet()),
                    labels.toString());
        }
    }

    @Test
    void multistageHasNoShellNoPackageManagerAndNoJavacUnlikeLatest() {
        ImageFs fs = LAYERS.get(MULTISTAGE).fs();
        assertNull(fs.resolve("/bin/sh"), "/bin/sh");
        Set<String> forbidden = Set.of("sh", "bash", "dash", "ash", "busybox", "javac", "jshell", "apt", "apt-get", "dpkg", "rpm", "apk");
        // files and links by those names (a directory /var/lib/dpkg holds the packages' records, below)
        List<String> found = fs.all().stream().filter(entry -> entry.type() != ImageFs.Type.DIRECTORY && forbidden.contains(entry.name()))
                .map(ImageFs.Entry::path).toList();
        assertTrue(found.isEmpty(), "found " + found);
        // dpkg's records for scanners (status.d, as distroless), not its database
        assertNull(fs.resolve("/var/lib/dpkg/status"), "no dpkg database");
        // the same look-ups do find them in latest's Debian/Ubuntu base: the absences above are real
        ImageFs latest = LAYERS.get(LATEST).fs();
        assertTrue(latest.resolve("/bin/sh") != null && latest.resolve("/var/lib/dpkg") != null, "latest has /bin/sh and dpkg");
        assertTrue(latest.all().stream().anyMatch(entry -> entry.name().equals("dpkg") && entry.isExecutableFile()), "latest has dpkg");
    }

    @Test
    void multistageHasAnExecutableJavaWithItsLoaderNonrootAndTmp() {
        ImageFs fs = LAYERS.get(MULTISTAGE).fs();
        ImageFs.Entry java = fs.resolve("/opt/java/bin/java");
        assertNotNull(java, "/opt/java/bin/java");
        assertTrue(java.isExecutableFile(), "java mode " + Integer.toOctalString(java.mode()));
        String interpreter = elfInterpreter(java.content());
        ImageFs.Entry loader = fs.resolve(interpreter);
        assertTrue(loader != null && loader.isExecutableFile(), "java's ELF interpreter " + interpreter + " in the image, executable: " + loader);
        assertTrue(fs.entry("/etc/passwd").contentAsString().lines().anyMatch(line -> line.startsWith("nonroot:x:65532:65532:")),
                fs.entry("/etc/passwd").contentAsString());
        assertTrue(fs.entry("/etc/group").contentAsString().lines().anyMatch(line -> line.startsWith("nonroot:x:65532:")));
        ImageFs.Entry tmp = fs.entry("/tmp");
        assertTrue(tmp != null && tmp.type() == ImageFs.Type.DIRECTORY, "/tmp");
        assertEquals(0777, tmp.mode() & 0777, "/tmp writable by 65532: " + Integer.toOctalString(tmp.mode()));
    }

    @Test
    void latestHasTheFullJdkWithJavacAndJshell() {
        ImageFs fs = LAYERS.get(LATEST).fs();
        String javaHome = env(LATEST).get("JAVA_HOME");
        for (String tool : List.of("javac", "jshell", "java")) {
            ImageFs.Entry entry = fs.resolve(javaHome + "/bin/" + tool);
            assertTrue(entry != null && entry.isExecutableFile(), javaHome + "/bin/" + tool + ": " + entry);
        }
    }

    @Test
    void layersAreTheBaseThenJibsFourAppLayersAndTheSbomAndMultistageAddsItsClassArchiveLast() throws IOException {
        ImageTarball latest = TARBALLS.get(LATEST);
        ImageTarball multistage = TARBALLS.get(MULTISTAGE);
        for (ImageTarball image : List.of(latest, multistage)) {
            int layers = image.layerFiles().size();
            assertEquals(layers, image.diffIds().size(), "diff_ids per layer");
            assertEquals(layers, image.layerHistoryComments().size(), "one history entry per layer");
        }
        List<String> latestComments = latest.layerHistoryComments();
        int baseLayers = latestComments.size() - SHARED_LAYERS.size();
        assertEquals(SHARED_LAYERS, latestComments.subList(baseLayers, latestComments.size()));
        var baseTar = BuildUnderTest.latestBaseTarball();
        if (baseTar != null) {
            ImageTarball base = ImageTarball.open(baseTar);
            assertEquals(base.layerHistoryComments(), latestComments.subList(0, baseLayers), "the base's own layers first");
            assertEquals(base.diffIds(), latest.diffIds().subList(0, base.diffIds().size()), "the base's layers unchanged");
        }
        // multistage: its runtime base's one layer (jib/base/build-runtime-base.sh), the same layers as latest, the class archive
        List<String> multistageComments = multistage.layerHistoryComments();
        int runtimeLayers = multistageComments.size() - SHARED_LAYERS.size() - 1;
        assertEquals(1, runtimeLayers, "one runtime base layer, then Jib's: " + multistageComments);
        assertEquals(SHARED_LAYERS, multistageComments.subList(runtimeLayers, runtimeLayers + SHARED_LAYERS.size()));
        assertEquals(CLASS_ARCHIVE_LAYER, multistageComments.get(multistageComments.size() - 1));
        ImageTarball runtimeBase = ImageTarball.open(BuildUnderTest.MULTISTAGE_BASE_FILE);
        assertEquals(runtimeBase.diffIds(), multistage.diffIds().subList(0, runtimeLayers), "the runtime base's layer unchanged");

        List<ImageTarball.Layer> latestLayers = LAYERS.get(LATEST).layers();
        List<ImageTarball.Layer> multistageLayers = LAYERS.get(MULTISTAGE).layers();
        List<ImageTarball.Layer> appLayers = new ArrayList<>(latestLayers.subList(baseLayers, baseLayers + APP_LAYERS.size()));
        appLayers.addAll(multistageLayers.subList(runtimeLayers, runtimeLayers + APP_LAYERS.size()));
        for (ImageTarball.Layer layer : appLayers) {
            assertTrue(layer.paths().stream().allMatch(path -> path.equals("/app") || path.startsWith("/app/")), "app layer has only /app: " + layer.paths());
        }
        assertEquals(List.of("/usr", "/usr/share", "/usr/share/sbom", BuildUnderTest.sbomImagePath(LATEST)),
                latestLayers.get(latestLayers.size() - 1).paths(), "latest's SBOM layer");
        assertEquals(List.of("/usr", "/usr/share", "/usr/share/sbom", BuildUnderTest.sbomImagePath(MULTISTAGE)),
                multistageLayers.get(multistageLayers.size() - 2).paths(), "multistage's SBOM layer");
        assertEquals(List.of("/app", "/app/cds", CLASS_ARCHIVE_CLASSPATH_JAR, "/app/cds/linux-" + BuildUnderTest.ARCH + ".jsa"),
                multistageLayers.get(multistageLayers.size() - 1).paths(), "the class archive's layer: this platform's archive only");
        List<String> runtime = multistageLayers.get(0).paths();
        // of /app, only the link that picks the platform's class archive
        assertEquals(List.of("/app", "/app/cds", "/app/cds/app.jsa"), runtime.stream().filter(path -> path.startsWith("/app")).toList(),
                "the runtime base's /app");
        assertEquals("/app/cds/linux-" + BuildUnderTest.ARCH + ".jsa", LAYERS.get(MULTISTAGE).fs().resolve("/app/cds/app.jsa").path(),
                "the archive the JVM flag names is this platform's");
        assertTrue(runtime.containsAll(List.of("/opt/java/bin/java", "/etc/passwd", "/etc/group", "/tmp")), runtime.toString());
    }

    @Test
    void latestAndMultistageShareTheirApplicationLayersByteForByteAndDifferOnlyByTheClassArchivesJarFirst() {
        List<ImageTarball.Layer> latest = LAYERS.get(LATEST).layers();
        List<ImageTarball.Layer> app = new ArrayList<>(latest.subList(latest.size() - SHARED_LAYERS.size(), latest.size()));
        List<ImageTarball.Layer> multistageLayers = LAYERS.get(MULTISTAGE).layers();
        List<ImageTarball.Layer> multistageApp = new ArrayList<>(multistageLayers.subList(1, 1 + SHARED_LAYERS.size())); // after its runtime base
        // each image's SBOM lists its own base's packages
        app.remove(SHARED_LAYERS.indexOf("extra files"));
        multistageApp.remove(SHARED_LAYERS.indexOf("extra files"));
        // the jvm arg files layer holds the class path, which in multistage starts with the class archive's jar
        int jvmArgFiles = SHARED_LAYERS.indexOf("jvm arg files");
        app.remove(jvmArgFiles);
        multistageApp.remove(jvmArgFiles);
        assertEquals(app.stream().map(ImageTarball.Layer::blobDigest).toList(), multistageApp.stream().map(ImageTarball.Layer::blobDigest).toList());
        assertEquals(app.stream().map(ImageTarball.Layer::diffId).toList(), multistageApp.stream().map(ImageTarball.Layer::diffId).toList());
        String latestClasspath = LAYERS.get(LATEST).fs().entry("/app/jib-classpath-file").contentAsString();
        assertEquals(CLASS_ARCHIVE_CLASSPATH_JAR + ":" + latestClasspath,
                LAYERS.get(MULTISTAGE).fs().entry("/app/jib-classpath-file").contentAsString());
        assertEquals(LAYERS.get(LATEST).fs().entry("/app/jib-main-class-file").contentAsString(),
                LAYERS.get(MULTISTAGE).fs().entry("/app/jib-main-class-file").contentAsString());
    }

    @Test
    void latestAndV10AreOneImageWhoseIdIsTheConfigDigest() throws IOException {
        ImageTarball latest = TARBALLS.get(LATEST);
        assertEquals(1, latest.imageCount(), "one config, one image");
        assertEquals(List.of("docker-gs-ping:latest", "docker-gs-ping:v1.0"), latest.repoTags());
        JibOutputs outputs = BuildUnderTest.outputs(LATEST);
        assertEquals(Json.sha256(latest.configBytes()), outputs.imageId());
        assertEquals(outputs.imageId(), outputs.imageJson().get("imageId").getStringValue());
        assertEquals(List.of("latest", "v1.0"), Json.strings(outputs.imageJson().get("tags")));

        ImageTarball multistage = TARBALLS.get(MULTISTAGE);
        assertEquals(List.of("docker-gs-ping:multistage"), multistage.repoTags());
        assertEquals(Json.sha256(multistage.configBytes()), BuildUnderTest.outputs(MULTISTAGE).imageId());
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void layerBlobsAreNamedByTheirDigestAndDiffIdsMatchTheirTars(String image) {
        ImageTarball tarball = TARBALLS.get(image);
        List<ImageTarball.Layer> layers = LAYERS.get(image).layers();
        for (ImageTarball.Layer layer : layers) {
            assertTrue(layer.gzip(), layer.fileName() + " is gzip-compressed");
            assertEquals(layer.fileName(), layer.blobDigest().substring("sha256:".length()) + ".tar.gz");
        }
        assertEquals(tarball.diffIds(), layers.stream().map(ImageTarball.Layer::diffId).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void digestJibWroteIsTheDigestOfTheManifestTheTarballImplies(String image) throws IOException {
        byte[] manifest = TARBALLS.get(image).dockerManifestV2(LAYERS.get(image));
        JibOutputs outputs = BuildUnderTest.outputs(image);
        assertEquals(Json.sha256(manifest), outputs.digest(), new String(manifest, StandardCharsets.UTF_8));
        assertEquals(outputs.digest(), outputs.imageJson().get("imageDigest").getStringValue());
    }

    @Test
    void printsBothImagesSizesAndMultistageIsTheSmallerOne() throws IOException {
        for (String image : List.of(LATEST, MULTISTAGE)) {
            ImageTarball tarball = TARBALLS.get(image);
            ImageTarball.Layers layers = LAYERS.get(image);
            System.out.printf("[image size] docker-gs-ping:%-10s tarball %,d bytes (%s), layers compressed %,d bytes (%s),"
                            + " uncompressed %,d bytes (%s) of which files %,d bytes (%s), %d layers%n",
                    image, tarball.fileSize(), mb(tarball.fileSize()), layers.blobBytes(), mb(layers.blobBytes()),
                    layers.tarBytes(), mb(layers.tarBytes()), layers.fileBytes(), mb(layers.fileBytes()), layers.layers().size());
        }
        assertTrue(LAYERS.get(MULTISTAGE).tarBytes() * 4 < LAYERS.get(LATEST).tarBytes(), "multistage well under a quarter of latest");
    }

    private static Map<String, String> env(String image) {
        return envOf(TARBALLS.get(image).runConfig());
    }

    private static Map<String, String> envOf(JsonNode runConfig) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String variable : Json.strings(runConfig.get("Env"))) {
            int equals = variable.indexOf('=');
            env.put(variable.substring(0, equals), variable.substring(equals + 1));
        }
        return env;
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    /** The PT_INTERP path of a 64-bit little-endian ELF executable: the loader the kernel starts it with. */
    private static String elfInterpreter(byte[] elf) {
        ByteBuffer buffer = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(elf.length > 64 && elf[0] == 0x7f && elf[1] == 'E' && elf[2] == 'L' && elf[3] == 'F', "an ELF file");
        assertEquals(2, elf[4], "64-bit ELF");
        assertEquals(1, elf[5], "little-endian ELF");
        long programHeaders = buffer.getLong(0x20);
        int entrySize = Short.toUnsignedInt(buffer.getShort(0x36));
        int count = Short.toUnsignedInt(buffer.getShort(0x38));
        for (int i = 0; i < count; i++) {
            int header = (int) (programHeaders + (long) i * entrySize);
            if (buffer.getInt(header) == 3) { // PT_INTERP
                int offset = (int) buffer.getLong(header + 8);
                int size = (int) buffer.getLong(header + 32);
                return new String(elf, offset, size, StandardCharsets.US_ASCII).replace("\0", "");
            }
        }
        throw new AssertionError("no PT_INTERP: a static executable?");
    }
}
