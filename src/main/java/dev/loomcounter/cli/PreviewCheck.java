package dev.loomcounter.cli;

import java.io.File;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether this JVM can run the project's classes, asked before any of them loads. The server and the clients use
 * {@code StructuredTaskScope}, a preview API of JDK 25: javac marks each class that uses it (class file version
 * 69.65535), and a JVM refuses to load such a class unless it runs JDK 25 with {@code --enable-preview}. Without
 * this check the refusal is an {@link UnsupportedClassVersionError} and its stack trace, thrown from wherever the
 * first such class happens to load. This class and {@link Main} use no preview API themselves, so that they load
 * anyway and can say what to type instead.
 */
final class PreviewCheck {

    /** The feature release the preview class files were compiled for; they load on no other. */
    static final int JDK = 25;
    /** A class that uses the preview API, loaded to find out: the JVM's own answer, whatever flags it got and how. */
    private static final String PREVIEW_CLASS = "dev.loomcounter.server.CountingServer";

    private PreviewCheck() {
    }

    /** Empty if this JVM runs the preview classes; else one line saying what to type. */
    static Optional<String> problem(String[] args) {
        int feature = Runtime.version().feature();
        if (feature != JDK) {
            return Optional.of("loom-counter needs JDK " + JDK + " (it uses a preview API of that release); this is "
                    + "Java " + Runtime.version() + " at " + System.getProperty("java.home"));
        }
        try {
            Class.forName(PREVIEW_CLASS, false, PreviewCheck.class.getClassLoader());
            return Optional.empty();
        } catch (UnsupportedClassVersionError e) {
            return Optional.of("loom-counter uses a preview API of JDK " + JDK + ": run it with --enable-preview, "
                    + "e.g. " + command(args));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(PREVIEW_CLASS + " is missing: the build is broken", e);
        }
    }

    /** The command as typed, with {@code --enable-preview}: {@code java --enable-preview -jar loom-counter.jar ...}. */
    private static String command(String[] args) {
        // java -jar puts the jar, and only it, on the class path.
        String classPath = System.getProperty("java.class.path", "");
        String launch = classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator) ? "-jar " + classPath
                : "-cp " + classPath + " " + Main.class.getName();
        return Stream.concat(Stream.of("java", "--enable-preview", launch), Arrays.stream(args).map(PreviewCheck::quoted))
                .collect(Collectors.joining(" "));
    }

    private static String quoted(String arg) {
        return arg.isEmpty() || arg.chars().anyMatch(c -> " '\"\\$`*?&;|<>()".indexOf(c) >= 0)
                ? "'" + arg.replace("'", "'\\''") + "'" : arg;
    }
}
