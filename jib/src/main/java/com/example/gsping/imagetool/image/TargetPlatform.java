package com.example.gsping.imagetool.image;

import com.example.gsping.imagetool.ImageToolException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A platform as {@code --platform} names it, {@code OS/ARCH[/VARIANT]} (linux/arm64, linux/arm/v7),
 * with the OS and architecture names Go (and so the OCI image spec, Docker and containerd) use.
 * A missing variant matches any: Jib writes linux/arm64 without one, others write linux/arm64/v8.
 */
public record TargetPlatform(String os, String architecture, String variant) {
  private static final Pattern FORM = Pattern.compile("([a-z0-9]+)/([a-z0-9]+)(?:/([a-z0-9]+))?");
  private static final Set<String> OSES = Set.of("linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris",
      "illumos", "aix", "android", "ios", "plan9", "dragonfly", "js", "wasip1");
  private static final Set<String> ARCHITECTURES = Set.of("amd64", "arm64", "arm", "386", "ppc64le", "ppc64", "s390x",
      "riscv64", "mips64le", "mips64", "mipsle", "mips", "loong64", "wasm");

  /** Parses what a user typed; an unknown OS or architecture is an error that says the form. */
  public static TargetPlatform parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || !OSES.contains(m.group(1)) || !ARCHITECTURES.contains(m.group(2))) {
      throw new ImageToolException("unknown platform '" + text + "': write OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm64");
    }
    return new TargetPlatform(m.group(1), m.group(2), m.group(3));
  }

  /** The platform of this JVM's machine, as Go names it (os.arch amd64, aarch64 is arm64). */
  public static TargetPlatform host() {
    String arch = System.getProperty("os.arch", "amd64");
    String goArch = switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> arch;
    };
    return new TargetPlatform("linux", goArch, null);
  }

  /** The platform an index entry or image config states; null parts read as unknown. */
  public static TargetPlatform of(String os, String architecture, String variant) {
    return new TargetPlatform(os == null ? "unknown" : os, architecture == null ? "unknown" : architecture, variant);
  }

  public boolean matches(TargetPlatform other) {
    return os.equals(other.os) && architecture.equals(other.architecture)
        && (variant == null || other.variant == null || variant.equals(other.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
