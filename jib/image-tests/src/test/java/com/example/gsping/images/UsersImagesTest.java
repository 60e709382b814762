package com.example.gsping.images;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link UsersImagesUntouchedIT} holds against the tests, and what it leaves to other processes. */
class UsersImagesTest {

    private static final String OURS = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
    private static final String USERS = "sha256:00000000000000000000000000000000000000000000000000000000000000aa";
    private static final String OTHERS = "sha256:00000000000000000000000000000000000000000000000000000000000000bb";

    @Test
    void aTagRetaggedToOrFromAnImageOfThisBuildIsTheTestsDoing() {
        Map<String, String> before = Map.of("daemon docker-gs-ping:multistage", USERS, "daemon docker-gs-ping:latest", OURS,
                "127.0.0.1:5000/docker-gs-ping:v1.0", USERS + " " + USERS);
        Map<String, String> after = Map.of("daemon docker-gs-ping:multistage", OURS,
                "127.0.0.1:5000/docker-gs-ping:v1.0", OTHERS + " " + OURS, "daemon docker-gs-ping:aot", OURS);
        assertEquals(List.of(
                        "127.0.0.1:5000/docker-gs-ping:v1.0: " + USERS + " " + USERS + " -> " + OTHERS + " " + OURS,
                        "daemon docker-gs-ping:aot: (none) -> " + OURS,
                        "daemon docker-gs-ping:latest: " + OURS + " -> (none)",
                        "daemon docker-gs-ping:multistage: " + USERS + " -> " + OURS),
                UsersImages.changes(before, after, Set.of(OURS), true));
    }

    @Test
    void otherChangesAreAnotherProcesssAndUnchangedTagsAreNoChange() {
        Map<String, String> before = Map.of("daemon docker-gs-ping:latest", USERS, "daemon docker-gs-ping:v1.0", OURS);
        Map<String, String> after = Map.of("daemon docker-gs-ping:latest", OTHERS, "daemon docker-gs-ping:v1.0", OURS);
        assertEquals(List.of(), UsersImages.changes(before, after, Set.of(OURS), true));
        assertEquals(List.of("daemon docker-gs-ping:latest: " + USERS + " -> " + OTHERS), UsersImages.changes(before, after, Set.of(OURS), false));
    }
}
