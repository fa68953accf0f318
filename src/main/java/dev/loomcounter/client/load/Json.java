package dev.loomcounter.client.load;

import java.util.Map;

/**
 * Writes the load client's result as JSON (RFC 8259): maps become objects, in their own order; strings are escaped;
 * numbers that JSON cannot say (NaN, infinity) become {@code null}. Enough for one small object of settings, counts
 * and figures; a library would bring a whole object mapper for it.
 */
final class Json {

    private Json() {
    }

    static String write(Map<String, ?> object) {
        StringBuilder json = new StringBuilder();
        value(json, object);
        return json.toString();
    }

    private static void value(StringBuilder json, Object value) {
        switch (value) {
            case null -> json.append("null");
            case String text -> string(json, text);
            case Boolean flag -> json.append(flag);
            case Double number when number.isNaN() || number.isInfinite() -> json.append("null");
            case Float number when number.isNaN() || number.isInfinite() -> json.append("null");
            case Number number -> json.append(number);
            case Map<?, ?> map -> {
                json.append('{');
                String separator = "";
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    json.append(separator);
                    string(json, String.valueOf(entry.getKey()));
                    json.append(':');
                    value(json, entry.getValue());
                    separator = ",";
                }
                json.append('}');
            }
            default -> throw new IllegalArgumentException("no JSON for a " + value.getClass().getName());
        }
    }

    /** A string with the escapes JSON requires: quote, backslash, and every control character. */
    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
