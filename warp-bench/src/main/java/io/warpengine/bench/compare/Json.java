package io.warpengine.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The little JSON the report needs, without a library: {@link #write} turns maps (insertion
 * order kept), lists, strings, numbers, booleans and null into indented JSON, and {@link #parse}
 * reads such text back into the same shapes ({@code LinkedHashMap}, {@code ArrayList},
 * {@code String}, {@code Long} for integers, {@code Double} otherwise, {@code Boolean},
 * {@code null}). {@code write(parse(write(x)))} equals {@code write(x)}.
 *
 * <p>{@code <}, {@code >} and {@code &} are written as {@code \\u} escapes, so the same text can
 * sit inside an HTML {@code <script>} element. Non-finite doubles are written as null.
 */
public final class Json {

  private Json() {}

  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, "");
    return out.append('\n').toString();
  }

  private static void write(Object v, StringBuilder out, String indent) {
    switch (v) {
      case null -> out.append("null");
      case String s -> string(s, out);
      case Boolean b -> out.append(b);
      case Double d -> out.append(Double.isFinite(d) ? Double.toString(d) : "null");
      case Float f -> write(f.doubleValue(), out, indent);
      case Number n -> out.append(n.longValue());
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        String inner = indent + "  ";
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.append(inner);
          string(String.valueOf(e.getKey()), out);
          out.append(": ");
          write(e.getValue(), out, inner);
          out.append(++i < m.size() ? ",\n" : "\n");
        }
        out.append(indent).append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append("[\n");
        String inner = indent + "  ";
        for (int i = 0; i < l.size(); i++) {
          out.append(inner);
          write(l.get(i), out, inner);
          out.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        out.append(indent).append(']');
      }
      default -> throw new IllegalArgumentException("cannot write a "
          + v.getClass().getName() + " as JSON");
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Reads one JSON value; a clear exception naming the offset of anything else. */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    Object v = p.value();
    p.space();
    if (p.at < text.length()) {
      throw p.error("text after the value");
    }
    return v;
  }

  private static final class Parser {
    private final String s;
    private int at;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("bad JSON at offset " + at + ": " + what);
    }

    void space() {
      while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
        at++;
      }
    }

    char peek() {
      space();
      if (at >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(at);
    }

    void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    Object value() {
      char c = peek();
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> word("true", Boolean.TRUE);
        case 'f' -> word("false", Boolean.FALSE);
        case 'n' -> word("null", null);
        default -> number();
      };
    }

    Object word(String w, Object v) {
      if (!s.startsWith(w, at)) {
        throw error("expected " + w);
      }
      at += w.length();
      return v;
    }

    Map<String, Object> object() {
      expect('{');
      Map<String, Object> m = new LinkedHashMap<>();
      if (peek() == '}') {
        at++;
        return m;
      }
      do {
        if (peek() != '"') {
          throw error("expected a key");
        }
        String k = string();
        expect(':');
        m.put(k, value());
      } while (comma('}'));
      return m;
    }

    List<Object> array() {
      expect('[');
      List<Object> l = new ArrayList<>();
      if (peek() == ']') {
        at++;
        return l;
      }
      do {
        l.add(value());
      } while (comma(']'));
      return l;
    }

    /** After an element: true on a comma, false on {@code end}, an error on anything else. */
    boolean comma(char end) {
      char c = peek();
      at++;
      if (c == ',') {
        return true;
      }
      if (c == end) {
        return false;
      }
      at--;
      throw error("expected ',' or '" + end + "'");
    }

    String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        if (at >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(at++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (at >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(at++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (at + 4 > s.length()) {
              throw error("short \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
            } catch (NumberFormatException x) {
              throw error("bad \\u escape");
            }
            at += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    Number number() {
      int start = at;
      while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
        at++;
      }
      String n = s.substring(start, at);
      try {
        return n.contains(".") || n.contains("e") || n.contains("E") ? Double.valueOf(n)
            : (Number) Long.valueOf(n);
      } catch (NumberFormatException x) {
        at = start;
        throw error("expected a value");
      }
    }
  }
}
