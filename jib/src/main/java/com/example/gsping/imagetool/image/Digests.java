package com.example.gsping.imagetool.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** sha256 content digests in the OCI form {@code sha256:<64 hex>}. */
public final class Digests {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  public static String sha256(byte[] content) {
    return of(newSha256().digest(content));
  }

  /** The finished digest of {@code md} as {@code sha256:<hex>}. */
  public static String of(MessageDigest md) {
    return of(md.digest());
  }

  private static String of(byte[] hash) {
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  public static boolean isSha256(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /** The 64 hex digits of a {@code sha256:} digest (its file name under blobs/sha256/). */
  public static String hex(String digest) {
    if (!isSha256(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring("sha256:".length());
  }

  /** Docker's short ID: the first 12 hex digits. */
  public static String shortId(String digest) {
    return hex(digest).substring(0, 12);
  }
}
