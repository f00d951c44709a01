package io.warpengine.physics.gravity.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a key's centre of mass, the part of the key that decides its shard, without allocating
 * (the router calls it on every operation).
 *
 * <ol>
 *   <li>A hash tag, as in Redis Cluster: the text between the first {@code '{'} and the first
 *       {@code '}'} after it, if not empty ({@code user:{42}:name} has centre {@code 42}).</li>
 *   <li>Else the first matching extraction rule. A rule is a template with one {@code {id}}:
 *       literal text before and after it, optionally opened by a {@code *} (any text before)
 *       and closed by a {@code *} (any text after). The id is one or more characters without a
 *       {@code ':'}. So {@code *:{id}} gives {@code 42} for {@code user:42}, {@code profile:42}
 *       and {@code settings:42}; {@code order:{id}:*} gives {@code 7} for {@code order:7:items}.
 *       A closing {@code *} needs the text before it to be empty or to start with {@code ':'}
 *       (the id runs to the next {@code ':'}).</li>
 *   <li>Else the whole key.</li>
 * </ol>
 * Text form (setting {@code gravity.rules}): templates separated by {@code ';'}. Immutable.
 */
final class CentreRules {

  static final String PLACEHOLDER = "{id}";

  private record Rule(boolean anyBefore, String before, String after, boolean anyAfter) {}

  private final Rule[] rules;

  private CentreRules(Rule[] rules) {
    this.rules = rules;
  }

  /** Parses {@code text}; blank gives tags only. */
  static CentreRules parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split(";")) {
      String t = raw.strip();
      if (!t.isEmpty()) {
        rules.add(rule(t));
      }
    }
    return new CentreRules(rules.toArray(Rule[]::new));
  }

  private static Rule rule(String t) {
    int at = t.indexOf(PLACEHOLDER);
    if (at < 0 || t.indexOf(PLACEHOLDER, at + 1) >= 0) {
      throw new IllegalArgumentException("gravity rule '" + t + "' must contain " + PLACEHOLDER
          + " exactly once");
    }
    boolean anyBefore = t.startsWith("*");
    boolean anyAfter = t.endsWith("*") && t.length() > at + PLACEHOLDER.length();
    String before = t.substring(anyBefore ? 1 : 0, at);
    String after = t.substring(at + PLACEHOLDER.length(), t.length() - (anyAfter ? 1 : 0));
    if (before.contains("*") || after.contains("*")) {
      throw new IllegalArgumentException("gravity rule '" + t + "' may have '*' only at its"
          + " very start or very end");
    }
    if (anyAfter && !after.isEmpty() && after.charAt(0) != ':') {
      throw new IllegalArgumentException("gravity rule '" + t + "': the text between " + PLACEHOLDER
          + " and a closing '*' must be empty or start with ':'");
    }
    return new Rule(anyBefore, before, after, anyAfter);
  }

  /**
   * The centre of {@code key} as {@code start << 32 | end}, indexes into the key. Hot path:
   * no allocation.
   */
  long span(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        return (long) (open + 1) << 32 | close;
      }
    }
    for (Rule r : rules) {
      long s = match(r, key);
      if (s >= 0) {
        return s;
      }
    }
    return key.length();
  }

  /** The centre of {@code key} as a string. */
  String centreOf(String key) {
    long s = span(key);
    return key.substring((int) (s >>> 32), (int) s);
  }

  /** Whether {@code key}'s centre is {@code centre}; no allocation. */
  boolean hasCentre(String key, String centre) {
    long s = span(key);
    int start = (int) (s >>> 32);
    int len = (int) s - start;
    return len == centre.length() && key.regionMatches(start, centre, 0, len);
  }

  /** The span of the id if {@code key} matches {@code r}, else -1. */
  private static long match(Rule r, String key) {
    if (!r.anyBefore) {
      return key.startsWith(r.before) ? idAt(r, key, r.before.length()) : -1;
    }
    for (int at = key.indexOf(r.before); at >= 0; at = key.indexOf(r.before, at + 1)) {
      long s = idAt(r, key, at + r.before.length());
      if (s >= 0) {
        return s;
      }
    }
    return -1;
  }

  /** The id's span if one starts at {@code start} and the rest of {@code key} fits, else -1. */
  private static long idAt(Rule r, String key, int start) {
    int end;
    if (r.anyAfter) {
      int colon = key.indexOf(':', start);
      end = colon < 0 ? key.length() : colon;
      if (!key.startsWith(r.after, end)) {
        return -1;
      }
    } else {
      end = key.length() - r.after.length();
      if (end < start || !key.endsWith(r.after)) {
        return -1;
      }
      int colon = key.indexOf(':', start);
      if (colon >= 0 && colon < end) {
        return -1;
      }
    }
    return end > start ? (long) start << 32 | end : -1;
  }

  /**
   * The hash of the centre at {@code [start, end)} of {@code key}: {@code String.hashCode} of
   * the substring (the key's own cached hash when the centre is the whole key), so that a
   * centre hashes the same from every key that has it.
   */
  static int hash(String key, int start, int end) {
    if (start == 0 && end == key.length()) {
      return key.hashCode();
    }
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + key.charAt(i);
    }
    return h;
  }
}
