package dev.loomcounter.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The project's Markdown files, read the way a renderer sees them: code blocks are not text. */
final class Markdown {

    /** Surefire runs tests in the project's directory. */
    static final Path ROOT = Path.of("").toAbsolutePath();

    private Markdown() {
    }

    /** README.md and every docs/*.md: what a reader of the repository meets. */
    static List<Path> files() {
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            return Stream.concat(Stream.of(ROOT.resolve("README.md")),
                            docs.filter(path -> path.toString().endsWith(".md")).sorted())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines outside fenced code blocks: a {@code # comment} in a shell example is not a heading, and a
     * {@code [x](y)} in Java code is not a link.
     */
    static List<String> proseLines(String text) {
        List<String> prose = new ArrayList<>();
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence) {
                prose.add(line);
            }
        }
        return prose;
    }
}
