package dev.ganpipe.images.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** One image file given on the command line; unlabelled. */
public final class SingleFileSource implements ImageSource {

    private final Path file;
    private final SourceOptions options;
    private boolean done;

    public SingleFileSource(Path file, SourceOptions options) {
        this.file = file;
        this.options = options;
    }

    @Override
    public String description() {
        return file.toString();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(1);
    }

    @Override
    public Optional<SourceImage> next() throws IOException {
        if (done) {
            return Optional.empty();
        }
        done = true;
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(new SourceImage(file.getFileName().toString(), in.readNBytes(options.maxBytes() + 1), Optional.empty()));
        }
    }

    @Override
    public void close() {
        // The file is opened and closed inside next().
    }
}
