package com.example.gsping.imagetool.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerUnitsTest {

  // Expected strings are what Go's go-units HumanSizeWithPrecision(size, 3) prints.
  @ParameterizedTest
  @CsvSource({
    "0, 0B",
    "27, 27B",
    "999, 999B",
    "1000, 1kB",
    "1027, 1.03kB",
    "3000, 3kB",
    "32345, 32.3kB",
    "89465, 89.5kB",
    "120000, 120kB",
    "999499, 999kB",
    "999500, 1e+03kB",
    "1500000, 1.5MB",
    "245800000, 246MB",
    "1234567890, 1.23GB"
  })
  void humanSizeMatchesGoUnitsWithThreeSignificantDigits(long bytes, String expected) {
    assertEquals(expected, DockerUnits.humanSize(bytes));
  }

  @ParameterizedTest
  @CsvSource({
    "0, Less than a second",
    "1, 1 second",
    "59, 59 seconds",
    "60, About a minute",
    "3599, 59 minutes",
    "3600, About an hour",
    "7200, 2 hours",
    "172800, 2 days",
    "1209600, 2 weeks",
    "5184000, 2 months",
    "63072000, 2 years"
  })
  void humanDurationMatchesGoUnits(long seconds, String expected) {
    assertEquals(expected, DockerUnits.humanDuration(Duration.ofSeconds(seconds)));
  }

  @org.junit.jupiter.api.Test
  void jibEpochTimestampReadsAsDecadesAgo() {
    Duration sinceEpoch = Duration.between(java.time.Instant.EPOCH, java.time.Instant.parse("2025-06-01T00:00:00Z"));
    assertEquals("55 years", DockerUnits.humanDuration(sinceEpoch));
  }
}
