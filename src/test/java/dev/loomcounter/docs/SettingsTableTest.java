package dev.loomcounter.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settings table in docs/settings.md says what {@code server --help} says: the same flags, the same defaults.
 * Both sides are parsed, so a new flag only needs its row in the table.
 */
class SettingsTableTest {

    /** What the table says for a flag that takes no value: it is off unless given. */
    private static final String SWITCH_DEFAULT = "off";

    /** An option line of picocli's help: {@code "  -h, --help"} or {@code "      --port=PORT   TCP port..."}. */
    private static final Pattern HELP_OPTION = Pattern.compile("^ {2}(?:-\\w, | {4})(--[\\w-]+)(=\\S+)?\\s*(.*)$");
    private static final Pattern HELP_DEFAULT = Pattern.compile("\\(default: ([^)]*)\\)");
    /** A row of the table: {@code | `-p`, `--port` | `7007` | TCP port ... |}, the short flag if there is one. */
    private static final Pattern TABLE_ROW =
            Pattern.compile("^\\|\\s*(?:`-\\w`,\\s*)?`(--[\\w-]+)`\\s*\\|([^|]*)\\|");

    @Test
    void theTableHasEveryFlagOfServerHelpWithItsDefault() {
        Map<String, String> help = helpDefaults();
        Map<String, String> table = tableDefaults();

        assertThat(help).as("flags parsed from server --help").containsEntry("--port", "7007");
        assertThat(without(help.keySet(), table.keySet())).as("flags of server --help missing from docs/settings.md")
                .isEmpty();
        assertThat(without(table.keySet(), help.keySet())).as("flags in docs/settings.md that server --help lacks")
                .isEmpty();
        List<String> wrongDefaults = help.entrySet().stream()
                .filter(flag -> !flag.getValue().equals(table.get(flag.getKey())))
                .map(flag -> flag.getKey() + ": --help says '" + flag.getValue() + "', the table '"
                        + table.get(flag.getKey()) + "'")
                .toList();
        assertThat(wrongDefaults).as("defaults in docs/settings.md against server --help").isEmpty();
    }

    private static Set<String> without(Set<String> these, Set<String> those) {
        Set<String> rest = new TreeSet<>(these);
        rest.removeAll(those);
        return rest;
    }

    /** Each flag of {@code server --help} with its default, {@code off} for a switch; --help and --version left out. */
    static Map<String, String> helpDefaults() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("server", "--help");
        assertThat(exitCode).as("server --help exit code; stderr: %s", err).isZero();

        Map<String, String> descriptions = new LinkedHashMap<>();
        Map<String, Boolean> takesValue = new LinkedHashMap<>();
        String current = null;
        for (String line : out.toString().split("\\R")) {
            Matcher option = HELP_OPTION.matcher(line);
            if (option.matches()) {
                current = option.group(1);
                descriptions.put(current, option.group(3));
                takesValue.put(current, option.group(2) != null);
            } else if (current != null && line.startsWith(" ")) {
                // picocli wraps a description onto indented lines, "(default:" and its value included.
                descriptions.merge(current, line.strip(), (before, more) -> before + " " + more);
            }
        }
        descriptions.keySet().removeAll(Set.of("--help", "--version"));

        Map<String, String> defaults = new LinkedHashMap<>();
        descriptions.forEach((flag, description) -> {
            Matcher value = HELP_DEFAULT.matcher(description);
            defaults.put(flag, value.find() ? value.group(1).strip()
                    : takesValue.get(flag) ? "none" : SWITCH_DEFAULT);
        });
        return defaults;
    }

    /** Each flag of the table in docs/settings.md with its default, code quotes removed. */
    static Map<String, String> tableDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Markdown.proseLines(Markdown.read(Markdown.ROOT.resolve("docs/settings.md")))) {
            Matcher row = TABLE_ROW.matcher(line);
            if (row.find()) {
                defaults.put(row.group(1), row.group(2).strip().replace("`", ""));
            }
        }
        return defaults;
    }
}
