package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.example.gsping.imagetool.fixtures.SharedRegistrySnapshot;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last: the toolkit's tests left the user's registry on 127.0.0.1:5000 as they found it.
 * Others may use that registry meanwhile, so this compares only what the user had (every
 * repository is still there, each docker-gs-ping tag has the same digest) and that no
 * {@code imagetool-it/} repository (the tests' naming) appeared.
 */
@Order(Integer.MAX_VALUE)
class SharedRegistryUnchangedIT {
  @Test
  void theToolkitTestsLeftTheUsersRegistryAsItWas() throws Exception {
    SharedRegistrySnapshot before = SharedRegistrySnapshot.baseline;
    assertNotNull(before, "SharedRegistryBaselineIT did not run first; run the whole IT suite (./mvnw -B verify -f jib/pom.xml)");
    SharedRegistrySnapshot after = SharedRegistrySnapshot.take();

    Set<String> gone = new TreeSet<>(before.repositories());
    gone.removeAll(after.repositories());
    assertEquals(Set.of(), gone, "repositories removed from the user's registry");
    List<String> added = after.repositories().stream()
        .filter(r -> r.startsWith("imagetool-it/") && !before.repositories().contains(r)).toList();
    assertEquals(List.of(), added, "repositories the tests created in the user's registry");
    for (var repository : before.userTags().entrySet()) {
      assertEquals(repository.getValue(), after.userTags().get(repository.getKey()), "tags and digests of " + repository.getKey());
    }
  }
}
