package org.osmetrics.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Query strings as Python sees them: {@link #parse} splits on {@code &} and decodes {@code +} and
 * {@code %XX} (UTF-8) like {@code urllib.parse}; {@link #encode} is {@code urllib.parse.urlencode}
 * (space as {@code +}, only {@code A-Za-z0-9_.-~} left as is).
 */
final class Query {

    /** One {@code name=value} pair; {@code value} is "" for a blank or missing value. */
    record Pair(String name, String value, boolean hasEquals) {
    }

    private Query() {
    }

    /** All pairs in order, blanks included (webob's {@code request.GET}); an empty name is dropped. */
    static List<Pair> parse(String rawQuery) {
        List<Pair> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = decode(equals < 0 ? part : part.substring(0, equals));
            String value = equals < 0 ? "" : decode(part.substring(equals + 1));
            if (!name.isEmpty()) {
                pairs.add(new Pair(name, value, equals >= 0));
            }
        }
        return pairs;
    }

    /** The first non-blank value of a name ({@code parse_qs(...)[name][0]}), or null. */
    static String first(List<Pair> pairs, String name) {
        for (Pair pair : pairs) {
            if (pair.name().equals(name) && !pair.value().isEmpty()) {
                return pair.value();
            }
        }
        return null;
    }

    /** The last value of a name, blank included ({@code request.GET[name]}), or null when absent. */
    static String last(List<Pair> pairs, String name) {
        String found = null;
        for (Pair pair : pairs) {
            if (pair.name().equals(name)) {
                found = pair.value();
            }
        }
        return found;
    }

    static String encode(Map<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> entry : parameters.entrySet()) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(quotePlus(entry.getKey())).append('=').append(quotePlus(entry.getValue()));
        }
        return query.toString();
    }

    static String quotePlus(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String text, int index) {
        return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
    }
}
