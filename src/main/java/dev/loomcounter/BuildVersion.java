package dev.loomcounter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the pom's version, which the build writes into {@code version.properties} (one place to bump),
 * and the JVM and OS it runs on.
 */
public final class BuildVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        // The JVM too: the same build behaves differently on another JDK or another vendor's, and bug reports need both.
        return new String[] {"loom-counter " + version(),
                "JVM: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.vm.version") + " (Java " + System.getProperty("java.version")
                        + ", " + System.getProperty("java.home") + ")",
                "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch")};
    }

    /** The version this build was made from, e.g. {@code 1.0.0-SNAPSHOT}. */
    public static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing: build with Maven, which writes it");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
