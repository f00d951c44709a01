package io.warpengine.bench.workload;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code name=value} arguments of the {@code warp …-bench} commands, and their checked
 * conversions: a bad value is a {@link Refused} that names the argument and what it should be,
 * thrown before the benchmark has written anything. {@link #main} runs a benchmark as its
 * command: a refused argument is one line on standard error and exit status 2.
 */
public final class BenchArguments {

  private static final BigDecimal DAY_MILLIS = BigDecimal.valueOf(Duration.ofDays(1).toMillis());

  private BenchArguments() {}

  /** An argument the benchmark cannot run with; the message names it and what it should be. */
  public static final class Refused extends IllegalArgumentException {
    public Refused(String message) {
      super(message);
    }
  }

  /** A benchmark's whole run, printing its report to the stream it is given. */
  @FunctionalInterface
  public interface Benchmark {
    void run(String[] args, PrintStream out) throws Exception;
  }

  /**
   * Runs {@code benchmark} as the {@code main} of {@code ./warp command}: its report on standard
   * output; a refused argument printed as one line naming the command, and exit status 2; any
   * other failure thrown on, with its stack trace.
   */
  public static void main(String command, String[] args, Benchmark benchmark) throws Exception {
    try {
      benchmark.run(args, System.out);
    } catch (Refused e) {
      System.err.println("warp " + command + ": " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * {@code defaults} with the values {@code args} give; a name not among the defaults is
   * {@link Refused}, with the known names.
   */
  public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
    Map<String, String> a = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      String name = arg.substring(0, Math.max(0, arg.indexOf('=')));
      if (!a.containsKey(name)) {
        throw new Refused("unknown argument '" + arg + "'; expected name=value"
            + " with a name of " + a.keySet());
      }
      a.put(name, arg.substring(name.length() + 1));
    }
    return a;
  }

  /** Argument {@code name} of {@code a}, a whole number of at least {@code min}. */
  public static int atLeast(Map<String, String> a, String name, int min) {
    return wholeNumber(name, a.get(name), a.get(name), min);
  }

  /** Argument {@code name} of {@code a}, a whole number above 0. */
  public static int positive(Map<String, String> a, String name) {
    return atLeast(a, name, 1);
  }

  /** Argument {@code name} of {@code a}, a comma-separated list of whole numbers above 0. */
  public static List<Integer> positives(Map<String, String> a, String name) {
    String value = a.get(name);
    return Stream.of(value.split(",", -1)).map(n -> wholeNumber(name, value, n.strip(), 1))
        .toList();
  }

  private static int wholeNumber(String name, String value, String number, int min) {
    try {
      int n = Integer.parseInt(number);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // not a whole number (or out of int's range): reported as a bad value below
    }
    throw new Refused(name + "=" + value + ": expected "
        + (value.equals(number) ? "" : "each of them ") + "a whole number of at least " + min);
  }

  /** Argument {@code name} of {@code a}, in seconds (fractions allowed), from 1 ms to a day. */
  public static Duration seconds(Map<String, String> a, String name) {
    String value = a.get(name);
    BigDecimal millis;
    try {
      millis = new BigDecimal(value).movePointRight(3);
    } catch (NumberFormatException e) {
      throw new Refused(name + "=" + value + " is not a number of seconds");
    }
    if (millis.compareTo(BigDecimal.ONE) < 0 || millis.compareTo(DAY_MILLIS) > 0) {
      throw new Refused(name + "=" + value + ": expected from one millisecond"
          + " to a day");
    }
    return Duration.ofMillis(millis.longValue());
  }
}
