package com.example.gsping.images;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Set-user-ID and set-group-ID bits, read from the tar entry modes of every layer (a file that a later layer
 * deletes is still shipped): the locked-down multistage image has none; latest's come only from its Debian base,
 * and are listed.
 */
class SetuidSetgidIT {

    /** The history comments of the layers Jib adds on top of a base (the SBOM and multistage's class archive are "extra files"). */
    private static final Set<String> JIB_LAYERS = Set.of("dependencies", "resources", "classes", "jvm arg files", "extra files");

    @Test
    void noEntryInAnyLayerOfMultistageHasTheSetuidOrSetgidBit() throws IOException {
        ImageTarball.Layers layers = ImageTarball.open(BuildUnderTest.outputs(MULTISTAGE).tarball()).readLayers(path -> false);
        List<ImageFs.Entry> entries = layers.allEntries();
        assertTrue(entries.stream().anyMatch(entry -> entry.path().equals("/opt/java/bin/java")), "the runtime base's layer is among those read");
        List<String> found = entries.stream().filter(ImageFs.Entry::isSetuidOrSetgid).map(SetuidSetgidIT::describe).toList();
        System.out.printf("[setuid/setgid] docker-gs-ping:multistage: %d of %,d entries in %d layers%n", found.size(), entries.size(), layers.layers().size());
        assertEquals(List.of(), found);
    }

    /**
     * latest is the tutorial's single-stage image on a full Debian JDK base: it runs as root, so its base's setuid
     * programs (su, passwd, mount, ...) give nothing more; they are listed, not failed. What this project adds to it
     * (Jib's layers) has none.
     */
    @Test
    void latestsSetuidAndSetgidEntriesAllComeFromItsBase() throws IOException {
        ImageTarball tarball = ImageTarball.open(BuildUnderTest.outputs(LATEST).tarball());
        ImageTarball.Layers layers = tarball.readLayers(path -> false);
        List<String> comments = tarball.layerHistoryComments();
        List<ImageFs.Entry> found = layers.allEntries().stream().filter(ImageFs.Entry::isSetuidOrSetgid).toList();
        List<ImageFs.Entry> files = found.stream().filter(entry -> entry.type() != ImageFs.Type.DIRECTORY).toList();
        System.out.printf("[setuid/setgid] docker-gs-ping:latest: %d files, %d directories (setgid: group inheritance) of %,d entries:%n",
                files.size(), found.size() - files.size(), layers.allEntries().size());
        found.forEach(entry -> System.out.println("[setuid/setgid]   " + describe(entry)));
        List<String> fromJib = found.stream().filter(entry -> JIB_LAYERS.contains(comments.get(entry.layer()))).map(SetuidSetgidIT::describe).toList();
        assertEquals(List.of(), fromJib, "setuid/setgid entries in the layers Jib adds");
    }

    private static String describe(ImageFs.Entry entry) {
        return String.format("%s %s %04o uid %d gid %d (layer %d)", entry.type(), entry.path(), entry.mode(), entry.uid(), entry.gid(), entry.layer());
    }
}
