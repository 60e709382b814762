package com.example.gsping.images;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The filesystem an image's layers make, as a container would see it: later layers replace
 * earlier entries, whiteouts ({@code .wh.NAME}, {@code .wh..wh..opq}) delete them.
 */
final class ImageFs {

    enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

    /** One path in the image; {@code content} only for the files whose contents were asked for. */
    record Entry(String path, Type type, int mode, long uid, long gid, long size, String linkName, int layer, byte[] content) {

        static Entry of(String path, TarArchiveEntry tar, int layer, byte[] content) {
            Type type = tar.isSymbolicLink() ? Type.SYMLINK
                    : tar.isLink() ? Type.HARDLINK
                    : tar.isDirectory() ? Type.DIRECTORY
                    : tar.isFile() ? Type.FILE : Type.OTHER;
            return new Entry(path, type, tar.getMode() & 07777, tar.getLongUserId(), tar.getLongGroupId(), tar.getSize(),
                    tar.getLinkName(), layer, content);
        }

        /** The set-user-ID or set-group-ID bit: an executable with it runs with its owner's or group's rights, whoever starts it. */
        boolean isSetuidOrSetgid() {
            return (mode & 06000) != 0;
        }

        boolean isExecutableFile() {
            return (type == Type.FILE || type == Type.HARDLINK) && (mode & 0111) != 0;
        }

        String contentAsString() {
            if (content == null) {
                throw new IllegalStateException("content of " + path + " was not kept");
            }
            return new String(content, StandardCharsets.UTF_8);
        }

        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final Entry ROOT = new Entry("/", Type.DIRECTORY, 0755, 0, 0, 0, "", -1, null);

    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private int layers;

    /** {@code ./usr/bin/}, {@code usr/bin} and {@code /usr/bin} are all {@code /usr/bin}. */
    static String normalize(String tarName) {
        String path = tarName;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        path = "/" + path.replaceAll("^/+", "").replaceAll("/+$", "");
        return path.equals("/.") ? "/" : path;
    }

    int layerCount() {
        return layers;
    }

    /** Lays one more layer on top. */
    void apply(List<Entry> layer) {
        for (Entry entry : layer) {
            String name = entry.name();
            String parent = parent(entry.path());
            if (name.equals(OPAQUE)) {
                children(parent).clear();
            } else if (name.startsWith(WHITEOUT)) {
                String deleted = join(parent, name.substring(WHITEOUT.length()));
                entries.remove(deleted);
                children(deleted).clear();
            }
        }
        for (Entry entry : layer) {
            if (!entry.name().startsWith(WHITEOUT) && !entry.path().equals("/")) {
                entries.put(entry.path(), entry);
            }
        }
        layers++;
    }

    /** The entry at exactly this path (a symlink is returned as the symlink), or null. */
    Entry entry(String path) {
        return path.equals("/") ? ROOT : entries.get(path);
    }

    /** The entry this path leads to after following every symlink on the way, or null if it leads nowhere. */
    Entry resolve(String path) {
        Deque<String> todo = new ArrayDeque<>(components(path));
        String current = "";
        int hops = 0;
        while (!todo.isEmpty()) {
            String component = todo.pollFirst();
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                current = current.isEmpty() ? "" : parent(current).equals("/") ? "" : parent(current);
                continue;
            }
            String next = current + "/" + component;
            Entry entry = entries.get(next);
            if (entry == null) {
                return null;
            }
            if (entry.type() == Type.SYMLINK) {
                if (++hops > 40) {
                    throw new AssertionError("symlink loop at " + path);
                }
                List<String> target = components(entry.linkName());
                for (int i = target.size() - 1; i >= 0; i--) {
                    todo.addFirst(target.get(i));
                }
                if (entry.linkName().startsWith("/")) {
                    current = "";
                }
                continue;
            }
            if (entry.type() == Type.HARDLINK) {
                Entry target = entries.get(normalize(entry.linkName()));
                entry = target == null ? entry : new Entry(next, target.type(), target.mode(), target.uid(), target.gid(),
                        target.size(), target.linkName(), target.layer(), target.content());
                if (todo.isEmpty()) {
                    return entry;
                }
            }
            current = next;
        }
        return current.isEmpty() ? ROOT : entries.get(current);
    }

    /** Every path in the image, in order. */
    List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    private NavigableMap<String, Entry> children(String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        // '0' is the character right after '/'
        return entries.subMap(prefix, true, prefix.substring(0, prefix.length() - 1) + "0", false);
    }

    private static List<String> components(String path) {
        return List.of(path.split("/"));
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }
}
