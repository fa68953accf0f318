package dev.loomcounter.docs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the relative links of a Markdown file that lead nowhere: a file that does not exist, or a {@code #anchor}
 * that no heading of the target Markdown file makes. Links with a scheme ({@code https:}, {@code mailto:}) are not
 * followed: the build stays offline.
 */
final class LinkChecker {

    /** {@code [text](target)} and {@code ![alt](target "title")}; the target ends at a blank or the parenthesis. */
    private static final Pattern INLINE_LINK = Pattern.compile("\\[[^\\]]*]\\(<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\)");
    /** {@code [label]: target}, a reference definition. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s+<?([^\\s>]+)>?");
    /** {@code <a href="...">} and {@code <img src="...">}. */
    private static final Pattern HTML_LINK = Pattern.compile("(?:href|src)=\"([^\"]+)\"");
    /** {@code <a id="...">} or {@code name="..."}: an anchor kept for links written before a section moved. */
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    /** One line per broken link of {@code file}, naming the link and what is missing; empty if all resolve. */
    List<String> brokenLinks(Path file) {
        List<String> broken = new ArrayList<>();
        for (String target : links(Markdown.read(file))) {
            String problem = problem(file, target);
            if (problem != null) {
                broken.add(file.getFileName() + ": (" + target + ") " + problem);
            }
        }
        return broken;
    }

    /** Every link target in the prose of {@code text}, in order. */
    static List<String> links(String text) {
        List<String> targets = new ArrayList<>();
        for (String line : Markdown.proseLines(text)) {
            // `[--port=PORT]` in a code span is a flag, not a link; a code span's text is shown as is.
            String prose = CODE_SPAN.matcher(line).replaceAll("code");
            for (Pattern pattern : List.of(INLINE_LINK, REFERENCE, HTML_LINK)) {
                Matcher matcher = pattern.matcher(prose);
                while (matcher.find()) {
                    targets.add(matcher.group(1));
                }
            }
        }
        return targets;
    }

    private String problem(Path file, String target) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = pathPart.isEmpty()
                ? file
                : file.getParent().resolve(URLDecoder.decode(pathPart, StandardCharsets.UTF_8)).normalize();
        if (!Files.exists(resolved)) {
            return "no such file: "
                    + (resolved.startsWith(Markdown.ROOT) ? Markdown.ROOT.relativize(resolved) : resolved);
        }
        if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
            return "no heading or anchor '" + anchor + "' in " + resolved.getFileName();
        }
        return null;
    }

    private Set<String> anchors(Path file) {
        return anchorsByFile.computeIfAbsent(file, path -> anchorsIn(Markdown.read(path)));
    }

    /** The anchors a renderer makes for {@code text}: one per heading, as GitHub spells it, and explicit ones. */
    static Set<String> anchorsIn(String text) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : Markdown.proseLines(text)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int times = seen.merge(slug, 1, Integer::sum);
                anchors.add(times == 1 ? slug : slug + "-" + (times - 1));
            }
            Matcher explicit = HTML_ANCHOR.matcher(line);
            while (explicit.find()) {
                anchors.add(explicit.group(1));
            }
        }
        return anchors;
    }

    /**
     * GitHub's anchor for a heading: the text a reader sees (a link's text, not its target), lower case, without
     * punctuation, each space a hyphen.
     */
    static String slug(String heading) {
        String visible = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1");
        return visible.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                .replace(' ', '-');
    }
}
