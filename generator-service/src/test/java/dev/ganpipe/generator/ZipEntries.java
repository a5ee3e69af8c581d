package dev.ganpipe.generator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipInputStream;

/** Reads the zip the generator answers for {@code format=zip}, so tests can check every image in it. */
public final class ZipEntries {

    private ZipEntries() {
    }

    /** The bytes of each entry, in archive order. */
    public static List<byte[]> of(byte[] zip) {
        List<byte[]> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            while (in.getNextEntry() != null) {
                entries.add(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The generator's answer is not a readable zip archive.", e);
        }
        return entries;
    }
}
