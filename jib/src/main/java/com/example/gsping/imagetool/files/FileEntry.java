package com.example.gsping.imagetool.files;

import java.time.Instant;

/**
 * One path of a layer as the filesystem sees it, without the file's bytes: the content is kept as its
 * digest. {@code link} is a symlink's target as written, or a hard link's target path; a hard link
 * carries its target's content digest and size.
 */
public record FileEntry(String path, Type type, int mode, long uid, long gid, long size, String link, String digest,
    Instant mtime) {

  /** The kinds of entries a layer may hold (device nodes are refused). */
  public enum Type { file, dir, symlink, hardlink, fifo }

  /** The bytes the entry itself stores in its layer: a regular file's size; links and directories store none. */
  public long storedBytes() {
    return type == Type.file ? size : 0;
  }
}
