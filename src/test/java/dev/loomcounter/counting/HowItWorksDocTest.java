package dev.loomcounter.counting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The walk through the counting core quotes the code: each quote must still be the code, word for word. */
class HowItWorksDocTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyJavaSnippetIsQuotedExactlyFromRequestCounter() throws IOException {
        String doc = Files.readString(Path.of("docs/how-it-works-core.md"));
        String code = Files.readString(Path.of("src/main/java/dev/loomcounter/counting/RequestCounter.java"));
        Matcher blocks = JAVA_BLOCK.matcher(doc);
        List<String> snippets = blocks.results().map(block -> block.group(1)).toList();
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(3).allSatisfy(snippet -> assertThat(code).contains(snippet));
    }
}
