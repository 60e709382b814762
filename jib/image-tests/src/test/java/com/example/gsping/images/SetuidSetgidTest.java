package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static com.example.gsping.images.FixtureImage.FixtureEntry.file;
import static com.example.gsping.images.FixtureImage.FixtureEntry.whiteout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The setuid/setgid check of {@link SetuidSetgidIT}, on an image tarball made here with planted setuid and setgid files. */
class SetuidSetgidTest {

    @TempDir
    Path dir;

    @Test
    void setuidAndSetgidFilesAreFoundInEveryLayerEvenOnesALaterLayerDeletes() throws Exception {
        ImageTarball image = new FixtureImage()
                .layer(file("/usr/bin/su", 04755, new byte[] {1}),
                        file("/usr/bin/wall", 02755, new byte[] {2}),
                        file("/usr/bin/ls", 0755, new byte[] {3}),
                        file("/etc/passwd", 0644, new byte[] {4}))
                .layer(whiteout("/usr/bin/su"), file("/usr/bin/env", 0755, new byte[] {5}))
                .writeTo(dir.resolve("setuid.tar"));

        ImageTarball.Layers layers = image.readLayers(path -> false);

        List<String> found = layers.allEntries().stream().filter(ImageFs.Entry::isSetuidOrSetgid)
                .map(entry -> entry.path() + " " + Integer.toOctalString(entry.mode())).toList();
        assertEquals(List.of("/usr/bin/su 4755", "/usr/bin/wall 2755"), found);
        assertNull(layers.fs().entry("/usr/bin/su"), "deleted from the filesystem a container sees, yet still shipped in layer 0");
    }
}
