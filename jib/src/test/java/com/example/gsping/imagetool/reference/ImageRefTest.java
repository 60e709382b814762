package com.example.gsping.imagetool.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.ImageToolException;
import org.junit.jupiter.api.Test;

class ImageRefTest {
  @Test
  void nameWithoutHostIsLocalWithDefaultTag() {
    ImageRef r = ImageRef.parse("docker-gs-ping");
    assertFalse(r.inRegistry());
    assertEquals("docker-gs-ping:latest", r.localName());
  }

  @Test
  void firstComponentWithDotColonOrLocalhostIsARegistryHost() {
    assertEquals("127.0.0.1:5000", ImageRef.parse("127.0.0.1:5000/app:v1").registry());
    assertEquals("registry.example.com", ImageRef.parse("registry.example.com/team/app").registry());
    assertEquals("localhost", ImageRef.parse("localhost/app").registry());
    assertEquals("team/app", ImageRef.parse("registry.example.com/team/app").repository());
  }

  @Test
  void firstComponentWithoutDotOrColonIsPartOfTheRepository() {
    ImageRef r = ImageRef.parse("team/app:v1");
    assertFalse(r.inRegistry());
    assertEquals("team/app", r.repository());
    assertEquals("v1", r.tag());
  }

  @Test
  void portIsNotMistakenForATag() {
    ImageRef r = ImageRef.parse("127.0.0.1:5000/app");
    assertEquals("app", r.repository());
    assertEquals("latest", r.tag());
  }

  @Test
  void digestReferenceHasNoDefaultTag() {
    String digest = "sha256:" + "a".repeat(64);
    ImageRef r = ImageRef.parse("127.0.0.1:5000/app@" + digest);
    assertNull(r.tag());
    assertEquals(digest, r.reference());
    assertTrue(r.inRegistry());
  }

  @Test
  void uppercaseRepositoryIsRejectedWithTheReason() {
    ImageToolException e = assertThrows(ImageToolException.class, () -> ImageRef.parse("Docker-GS-Ping:latest"));
    assertTrue(e.getMessage().contains("invalid reference format"), e.getMessage());
  }
}
