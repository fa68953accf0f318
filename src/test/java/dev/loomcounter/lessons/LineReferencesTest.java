package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Every stack frame the lessons quote with a line number, {@code pkg.Class.method(File.java:NN)} (a thread dump) or
 * {@code pkg.Class.method(Params) line: NN} (a JFR event), must still point at the right line: of this project's
 * sources, or of the JDK's ({@code lib/src.zip} of the JDK running the tests). A frame's line calls the method of the
 * frame quoted above it, so the line must name that method; the top frame of a stack (or one under an elided
 * {@code ...}) must lie below a declaration of its own method. Nothing here knows any particular frame: re-quote a
 * dump after a change to the code, and this test says whether the quote is current.
 */
class LineReferencesTest {

    /** {@code "java.base\/java.lang.Thread.sleep(Thread.java:601)"} or without the module. */
    private static final Pattern DUMP_FRAME =
            Pattern.compile("(?:([\\w.]+)\\\\?/)?([\\w.$]+)\\.([\\w$<>]+)\\((\\w+\\.java):(\\d+)\\)");
    /** {@code jdk.internal.loader.BuiltinClassLoader.loadClass(String, boolean) line: 578}. */
    private static final Pattern JFR_FRAME = Pattern.compile("([\\w.$]+)\\.([\\w$<>]+)\\([^)]*\\) line: (\\d+)");

    private static final Path JDK_SOURCES = Path.of(System.getProperty("java.home"), "lib", "src.zip");

    /** One quoted frame, and the method of the frame quoted just above it in the same stack, if any. */
    private record Frame(String module, String className, String method, int line, Optional<String> callee,
            String quoted) {

        /** Where the class's source lives: {@code java/lang/Thread.java} for {@code java.lang.Thread$Builder}. */
        String sourcePath() {
            String topLevel = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
            return topLevel.replace('.', '/') + ".java";
        }
    }

    static List<Frame> quotedFrames(String lessons) {
        List<Frame> frames = new ArrayList<>();
        Optional<String> above = Optional.empty();
        for (String text : lessons.lines().toList()) {
            Matcher dump = DUMP_FRAME.matcher(text);
            Matcher jfr = JFR_FRAME.matcher(text);
            if (dump.find()) {
                frames.add(new Frame(dump.group(1), dump.group(2), dump.group(3), Integer.parseInt(dump.group(5)),
                        above, text.strip()));
                above = Optional.of(dump.group(3));
            } else if (jfr.find()) {
                frames.add(new Frame(null, jfr.group(1), jfr.group(2), Integer.parseInt(jfr.group(3)), above,
                        text.strip()));
                above = Optional.of(jfr.group(2));
            } else {
                above = Optional.empty(); // "...", the end of a stack, or prose: the next frame's callee is unknown
            }
        }
        return frames;
    }

    @Test
    void everyQuotedLineNumberPointsAtTheQuotedCall() throws IOException {
        List<Frame> frames = quotedFrames(LessonsDoc.text());
        assertThat(frames).as("the lessons quote stack frames").isNotEmpty();
        List<String> wrong = new ArrayList<>();
        for (Frame frame : frames) {
            List<String> source = source(frame);
            if (frame.line() > source.size()) {
                wrong.add(frame.quoted() + ": the file has " + source.size() + " lines");
                continue;
            }
            String line = source.get(frame.line() - 1);
            // A class loaded on first use is loaded by the VM, from a line that names no loadClass.
            boolean implicit = frame.callee().filter(callee -> callee.equals("loadClass")).isPresent();
            if (frame.callee().isPresent() && !implicit) {
                if (!line.contains(frame.callee().get())) {
                    wrong.add(frame.quoted() + ": line " + frame.line() + " does not call " + frame.callee().get()
                            + ": " + line.strip());
                }
            } else if (!declaredAbove(source, frame)) {
                wrong.add(frame.quoted() + ": no declaration of " + frame.method() + " at or above line "
                        + frame.line());
            }
        }
        assertThat(wrong).as("quoted frames that no longer match the code").isEmpty();
    }

    private static boolean declaredAbove(List<String> source, Frame frame) {
        Pattern declaration = Pattern.compile("\\b" + Pattern.quote(frame.method()) + "\\s*\\(");
        return source.subList(0, frame.line()).stream().anyMatch(line -> declaration.matcher(line).find());
    }

    private static List<String> source(Frame frame) throws IOException {
        if (frame.className().startsWith("dev.loomcounter.")) {
            for (String root : List.of("src/main/java", "src/test/java")) {
                Path file = Path.of(root, frame.sourcePath());
                if (Files.exists(file)) {
                    return Files.readAllLines(file, StandardCharsets.UTF_8);
                }
            }
            throw new AssertionError(frame.quoted() + ": no such source file " + frame.sourcePath());
        }
        assertThat(JDK_SOURCES).as("the JDK's sources, to check quoted JDK frames").exists();
        try (ZipFile zip = new ZipFile(JDK_SOURCES.toFile())) {
            ZipEntry entry = frame.module() != null ? zip.getEntry(frame.module() + "/" + frame.sourcePath())
                    : find(zip, "/" + frame.sourcePath());
            assertThat(entry).as("%s in %s", frame.sourcePath(), JDK_SOURCES).isNotNull();
            return new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** A JFR frame names no module: the entry of any module with that path. */
    private static ZipEntry find(ZipFile zip, String suffix) {
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
            ZipEntry entry = entries.nextElement();
            if (entry.getName().endsWith(suffix)) {
                return entry;
            }
        }
        return null;
    }

    @Test
    void theParserFindsBothKindsOfFrame() {
        List<Frame> frames = quotedFrames("""
                  "java.base\\/java.lang.Thread.sleep(Thread.java:601)",
                  "dev.loomcounter.counting.Work$Sleep.perform(Work.java:71)",
                  ...
                    java.lang.ClassLoader.loadClass(String) line: 490
                    dev.loomcounter.counting.FairCpuPool.spin(Object, long) line: 62
                """);
        assertThat(frames).extracting(Frame::module, Frame::className, Frame::method, Frame::line, Frame::callee)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("java.base", "java.lang.Thread", "sleep", 601,
                                Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(null, "dev.loomcounter.counting.Work$Sleep", "perform",
                                71, Optional.of("sleep")),
                        org.assertj.core.groups.Tuple.tuple(null, "java.lang.ClassLoader", "loadClass", 490,
                                Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(null, "dev.loomcounter.counting.FairCpuPool", "spin", 62,
                                Optional.of("loadClass")));
        assertThat(frames.get(1).sourcePath()).isEqualTo("dev/loomcounter/counting/Work.java");
    }
}
