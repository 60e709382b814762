package com.example.gsping.imagetool.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void columnsArePaddedLikeDockersTabwriter() {
    StringWriter s = new StringWriter();
    new TextTable("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE")
        .row("docker-gs-ping", "latest", "4f3effb85fd3", "56 years ago", "89.5kB")
        .print(new PrintWriter(s, true));
    // Captured from `docker image ls` (Docker 20.10 daemon, CLI 28) for the same image.
    assertEquals(
        "REPOSITORY       TAG       IMAGE ID       CREATED        SIZE\n"
            + "docker-gs-ping   latest    4f3effb85fd3   56 years ago   89.5kB\n",
        s.toString().replace(System.lineSeparator(), "\n"));
  }
}
