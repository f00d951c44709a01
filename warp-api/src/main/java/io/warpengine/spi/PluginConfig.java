package io.warpengine.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One plugin's settings: the engine options' properties named {@code prefix.*}, with the prefix
 * removed. Typed getters return the default when a setting is absent and throw an
 * {@link IllegalArgumentException} naming the full property when it cannot be parsed.
 */
public final class PluginConfig {

  private final String prefix;
  private final Map<String, String> values;

  private PluginConfig(String prefix, Map<String, String> values) {
    this.prefix = prefix;
    this.values = values;
  }

  /** The settings named {@code prefix.*} among {@code properties}. */
  public static PluginConfig of(String prefix, Map<String, String> properties) {
    Objects.requireNonNull(prefix, "prefix");
    String head = prefix + ".";
    Map<String, String> own = new TreeMap<>();
    properties.forEach((k, v) -> {
      if (k.startsWith(head)) {
        own.put(k.substring(head.length()), v);
      }
    });
    return new PluginConfig(prefix, Map.copyOf(own));
  }

  /** Every setting of this plugin, names without the prefix. */
  public Map<String, String> asMap() {
    return values;
  }

  public String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  public int intValue(String name, int defaultValue) {
    return parse(name, defaultValue, Integer::valueOf, "an integer");
  }

  public long longValue(String name, long defaultValue) {
    return parse(name, defaultValue, Long::valueOf, "an integer");
  }

  public double doubleValue(String name, double defaultValue) {
    return parse(name, defaultValue, Double::valueOf, "a number");
  }

  public boolean booleanValue(String name, boolean defaultValue) {
    return parse(name, defaultValue, s -> switch (s) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(s);
    }, "true or false");
  }

  /** An ISO-8601 duration such as {@code PT5S}, or a whole number of milliseconds. */
  public Duration duration(String name, Duration defaultValue) {
    return parse(name, defaultValue, s -> s.chars().allMatch(Character::isDigit)
        ? Duration.ofMillis(Long.parseLong(s)) : Duration.parse(s), "a duration such as PT5S or 5000");
  }

  /**
   * {@link #duration}, and at least one millisecond, as an interval a scheduler runs at (it
   * counts in milliseconds), a period or a half-life must be; a shorter one is an
   * {@link IllegalArgumentException} naming the property.
   */
  public Duration interval(String name, Duration defaultValue) {
    Duration d = duration(name, defaultValue);
    if (d.toMillis() < 1) {
      throw new IllegalArgumentException(
          "property " + prefix + "." + name + " must be at least 1 ms, was " + d);
    }
    return d;
  }

  private <T> T parse(String name, T defaultValue, Function<String, T> parser, String expected) {
    String raw = values.get(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      return parser.apply(raw.strip());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "property " + prefix + "." + name + " must be " + expected + ", was '" + raw + "'", e);
    }
  }
}
