package com.example.gsping.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** What happens to a cached file on a disk or in a copy: cut short, one byte changed, another file in its place. */
enum Damage {
    TRUNCATED, FLIPPED_BYTE, REPLACED;

    /** Damages {@code file} in place, halfway in; {@link #REPLACED} copies {@code other} over it. */
    void apply(Path file, Path other) throws IOException {
        if (this == REPLACED) {
            Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long middle = channel.size() / 2;
            if (this == TRUNCATED) {
                channel.truncate(middle);
                return;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, middle);
            one.put(0, (byte) ~one.get(0)).rewind();
            channel.write(one, middle);
        }
    }
}
