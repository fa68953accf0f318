package dev.loomcounter.settings;

import picocli.CommandLine;

/**
 * Reads {@code --host} and {@code --web-host}: a name or an address, not an empty string. Java reads an empty host as
 * "this machine" for a client and "every interface" for a server: neither is what a person who typed
 * {@code --host ''} meant, so it is refused where it was typed.
 */
public final class HostConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException(
                    "the host is empty: write a name or an address, e.g. 127.0.0.1, ::1, localhost");
        }
        return value.strip();
    }
}
