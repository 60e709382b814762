package com.example.gsping.imagetool.cli;

/** How listings print: aligned columns for people, or JSON for scripts. */
public enum OutputFormat {
  table,
  json
}
