package com.example.gsping.imagetool.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;

/**
 * What every run on hostile input must end as: success, or exit 1 (2 for {@code diff}) with one
 * line that is not an internal error.
 */
final class OneLineFailure {
  private OneLineFailure() {}

  static void assertCleanOutcome(CliRun r) {
    assertCleanOutcome(r, 1);
  }

  static void assertCleanOutcome(CliRun r, int failureCode) {
    if (r.exitCode() == 0 || (failureCode == 2 && r.exitCode() == 1 && r.err().isEmpty())) {
      return; // diff: 1 says the images differ
    }
    assertEquals(failureCode, r.exitCode(), r.err());
    assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
    assertTrue(r.err().startsWith("imagetool: "), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
  }
}
