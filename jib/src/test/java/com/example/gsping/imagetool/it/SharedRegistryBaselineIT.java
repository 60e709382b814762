package com.example.gsping.imagetool.it;

import com.example.gsping.imagetool.fixtures.SharedRegistrySnapshot;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs first (src/test/resources/junit-platform.properties orders IT classes by @Order): what the shared registry held. */
@Order(Integer.MIN_VALUE)
class SharedRegistryBaselineIT {
  @Test
  void recordWhatTheUsersRegistryHoldsBeforeTheTests() throws Exception {
    SharedRegistrySnapshot.baseline = SharedRegistrySnapshot.take();
  }
}
