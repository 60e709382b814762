package com.example.gsping.images;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs last among the integration tests: the user's {@code docker-gs-ping} images in the shared daemon and
 * registry are as {@link UsersImagesSnapshotIT} found them. Other processes use the same daemon and registry while
 * the tests run, so a tag that changed counts against the tests only when it was, or now is, an image this build
 * made (its image ID or manifest digest): every image the tests load, tag or push is one of those. Other changes
 * are printed, not judged.
 */
@Order(Integer.MAX_VALUE)
class UsersImagesUntouchedIT {

    @Test
    void theUsersImagesInTheSharedDaemonAndRegistryAreAsBefore() throws Exception {
        assertTrue(Files.exists(UsersImages.snapshotFile()), "no " + UsersImages.snapshotFile() + ": run this with UsersImagesSnapshotIT (./mvnw verify)");
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(UsersImages.snapshotFile())) {
            properties.load(in);
        }
        Map<String, String> before = new TreeMap<>();
        properties.forEach((key, value) -> before.put((String) key, (String) value));
        Map<String, String> after = UsersImages.now();
        Set<String> ours = UsersImages.madeByThisBuild();

        List<String> byTheTests = UsersImages.changes(before, after, ours, true);
        UsersImages.changes(before, after, ours, false).forEach(change ->
                System.out.println("[user's images] changed during the run by another process (not an image of this build): " + change));
        System.out.printf("[user's images] after the tests: %d tags, %d before%n", after.size(), before.size());
        assertTrue(byTheTests.isEmpty(), "the tests changed the user's images:\n" + String.join("\n", byTheTests));
    }
}
