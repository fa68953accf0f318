package dev.loomcounter.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every relative link in README.md and docs/*.md leads to a file that exists, and to a heading that exists. */
class DocLinksTest {

    static List<Path> markdownFiles() {
        return Markdown.files();
    }

    @ParameterizedTest
    @MethodSource("markdownFiles")
    void everyRelativeLinkResolves(Path file) {
        assertThat(new LinkChecker().brokenLinks(file)).as("broken links in %s", file).isEmpty();
    }

    @Test
    void theReadmeLinksTheCourseAndTheReference() {
        List<String> links = LinkChecker.links(Markdown.read(Markdown.ROOT.resolve("README.md")));
        assertThat(links).contains("docs/lessons.md", "docs/protocol.md", "docs/settings.md", "LICENSE");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "How it works | how-it-works",
            "7. Starvation and fairness: virtual threads are not time-sliced"
                    + " | 7-starvation-and-fairness-virtual-threads-are-not-time-sliced",
            "3. The request's scope, line by line | 3-the-requests-scope-line-by-line",
            "The `--port` flag | the---port-flag",
            "See [the protocol](docs/protocol.md) | see-the-protocol"})
    void headingsBecomeGitHubAnchors(String heading, String anchor) {
        assertThat(LinkChecker.slug(heading)).isEqualTo(anchor);
    }

    @Test
    void aMissingFileOrHeadingIsReportedAndCodeIsNotALink(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("there.md"), "# Present\n\n<a id=\"kept\"></a>\n");
        Path page = Files.writeString(dir.resolve("page.md"), """
                # Page
                [fine](there.md#present) [kept](there.md#kept) [self](#page) [web](https://example.org/x)
                [gone](missing.md) [lost](there.md#absent)
                Flags read `[--port=PORT](x)` here.
                ```
                [in code](nowhere.md)
                ```
                """);

        assertThat(new LinkChecker().brokenLinks(page)).containsExactly(
                "page.md: (missing.md) no such file: " + dir.resolve("missing.md"),
                "page.md: (there.md#absent) no heading or anchor 'absent' in there.md");
    }
}
