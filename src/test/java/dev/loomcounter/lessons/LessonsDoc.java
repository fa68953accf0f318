package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Ties the lesson tests to {@code docs/lessons.md}: a test runs a command only after checking that the lessons show
 * it verbatim. Change a command in the lessons and its test fails until the two agree again, so the lessons cannot
 * drift away from what is tested.
 */
final class LessonsDoc {

    /** Surefire runs tests in the project's directory. */
    private static final Path LESSONS = Path.of("docs", "lessons.md");

    private LessonsDoc() {
    }

    static String text() {
        try {
            return Files.readString(LESSONS, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks that the lessons show {@code text} verbatim (a command, a flag, a log line) and returns it. */
    static String shows(String text) {
        assertThat(text()).as("docs/lessons.md shows this verbatim").contains(text);
        return text;
    }

    /**
     * Checks that the lessons start the server with exactly these flags,
     * {@code ./mvnw -q compile exec:exec@server -Dargs="<args>"}, and returns them one by one for a test's own server
     * process.
     */
    static List<String> serverArgs(String args) {
        shows("./mvnw -q compile exec:exec@server -Dargs=\"" + args + "\"");
        return List.of(args.split(" "));
    }
}
