package com.example.gsping.images;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.Writer;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;

/**
 * Runs first among the integration tests (failsafe orders classes by {@link Order}): records the user's images in
 * the shared daemon and registry for {@link UsersImagesUntouchedIT}, which runs last.
 */
@Order(Integer.MIN_VALUE)
class UsersImagesSnapshotIT {

    @Test
    void recordTheUsersImagesBeforeTheOtherTests() throws Exception {
        Map<String, String> before = UsersImages.now();
        Properties properties = new Properties();
        properties.putAll(before);
        try (Writer out = Files.newBufferedWriter(UsersImages.snapshotFile())) {
            properties.store(out, "the user's images before the image tests (UsersImagesSnapshotIT)");
        }
        System.out.printf("[user's images] before the tests: %d tags in the shared daemon and registry%n", before.size());
    }
}
