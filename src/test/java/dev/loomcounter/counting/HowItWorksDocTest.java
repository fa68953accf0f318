package dev.loomcounter.counting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The walk of one request quotes the code: each quote must still be the code, word for word. */
class HowItWorksDocTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Path COUNTER = Path.of("src/main/java/dev/loomcounter/counting/RequestCounter.java");
    private static final Path CONNECTION = Path.of("src/main/java/dev/loomcounter/server/Connection.java");

    @Test
    void everyJavaSnippetIsQuotedExactlyFromTheCode() throws IOException {
        String doc = Files.readString(Path.of("docs/how-it-works.md"));
        String counter = Files.readString(COUNTER);
        String connection = Files.readString(CONNECTION);
        List<String> snippets = JAVA_BLOCK.matcher(doc).results().map(block -> block.group(1)).toList();
        assertThat(snippets).as("snippets of RequestCounter.count").filteredOn(counter::contains)
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(snippets).allSatisfy(snippet -> assertThat(List.of(counter, connection))
                .as("a quote of %s or %s", COUNTER, CONNECTION)
                .anySatisfy(code -> assertThat(code).contains(snippet)));
    }
}
