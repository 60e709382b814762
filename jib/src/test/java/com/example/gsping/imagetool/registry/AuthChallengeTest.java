package com.example.gsping.imagetool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void bearerChallengeKeepsCommasInsideQuotedScope() {
    AuthChallenge c = AuthChallenge.parse(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"");
    assertTrue(c.isBearer());
    assertEquals("https://auth.docker.io/token", c.param("realm"));
    assertEquals("registry.docker.io", c.param("service"));
    assertEquals("repository:samalba/my-app:pull,push", c.param("scope"));
  }

  @Test
  void basicChallengeIsRecognised() {
    AuthChallenge c = AuthChallenge.parse("Basic realm=\"Registry Realm\"");
    assertTrue(c.isBasic());
    assertEquals("Registry Realm", c.param("realm"));
  }

  @Test
  void loopbackRegistriesUsePlainHttpOthersNot() {
    assertTrue(DistributionApiClient.isLoopback("127.0.0.1:5000"));
    assertTrue(DistributionApiClient.isLoopback("localhost:5000"));
    assertTrue(DistributionApiClient.isLoopback("[::1]:5000"));
    assertTrue(!DistributionApiClient.isLoopback("registry.example.com"));
    assertTrue(!DistributionApiClient.isLoopback("10.0.0.1:5000"));
  }
}
