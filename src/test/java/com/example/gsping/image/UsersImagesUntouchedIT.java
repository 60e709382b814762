package com.example.gsping.image;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
        assertTrue(Files.exists(UsersImages.SNAPSHOT), "no " + UsersImages.SNAPSHOT + ": run this with UsersImagesSnapshotIT (./mvnw verify)");
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(UsersImages.SNAPSHOT)) {
            properties.load(in);
        }
        Map<String, String> before = new TreeMap<>();
        properties.forEach((key, value) -> before.put((String) key, (String) value));
        Map<String, String> after = UsersImages.now();
        Set<String> ours = UsersImages.madeByThisBuild();

        List<String> byTheTests = new ArrayList<>();
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            String was = before.get(name);
            String is = after.get(name);
            if (Objects.equals(was, is)) {
                continue;
            }
            String change = name + ": " + (was == null ? "(none)" : was) + " -> " + (is == null ? "(none)" : is);
            if (isOurs(was, ours) || isOurs(is, ours)) {
                byTheTests.add(change);
            } else {
                System.out.println("[user's images] changed during the run by another process (not an image of this build): " + change);
            }
        }
        System.out.printf("[user's images] after the tests: %d tags, %d as before%n", after.size(),
                names.stream().filter(name -> Objects.equals(before.get(name), after.get(name))).count());
        assertTrue(byTheTests.isEmpty(), "the tests changed the user's images:\n" + String.join("\n", byTheTests));
    }

    /** Whether a snapshot value (an image ID, or a manifest digest and image ID) names an image of this build. */
    private static boolean isOurs(String value, Set<String> ours) {
        return value != null && java.util.Arrays.stream(value.split(" ")).anyMatch(ours::contains);
    }
}
