package dev.loomcounter;

/** Picocli's argument files, said in every command's help: long flag lists belong in a file, not a shell history. */
public final class ArgumentFiles {

    public static final String HELP = "Flags can come from a file: @FILE is replaced by the words in FILE "
            + "(split at spaces and line ends; quote a value with spaces; # starts a comment line), "
            + "as in: loom-counter client @load.args";

    private ArgumentFiles() {
    }
}
