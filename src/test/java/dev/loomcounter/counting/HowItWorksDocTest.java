package dev.loomcounter.counting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The walk of one request quotes the code: each quote must still be the code, word for word. */
class HowItWorksDocTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Path COUNTER = Path.of("src/main/java/dev/loomcounter/counting/RequestCounter.java");
    private static final Path SOURCES = Path.of("src/main/java/dev/loomcounter");

    @Test
    void everyJavaSnippetIsQuotedExactlyFromTheCode() throws IOException {
        String doc = Files.readString(Path.of("docs/how-it-works.md"));
        String counter = Files.readString(COUNTER);
        List<String> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).map(HowItWorksDocTest::read).toList();
        }
        List<String> snippets = JAVA_BLOCK.matcher(doc).results().map(block -> block.group(1)).toList();
        assertThat(snippets).as("snippets of RequestCounter.count").filteredOn(counter::contains)
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(snippets).allSatisfy(snippet -> assertThat(sources).as("a quote of a file under %s", SOURCES)
                .anySatisfy(code -> assertThat(code).contains(snippet)));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
