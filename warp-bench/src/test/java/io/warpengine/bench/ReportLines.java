package io.warpengine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the report a benchmark's smoke run printed: its lines that match a pattern, the
 * numbers in them, and whether a printed ratio is the quotient of the figures printed beside it.
 */
public final class ReportLines {

  /** A benchmark's whole run, printing its report to the stream it is given. */
  @FunctionalInterface
  public interface Run {
    void printTo(PrintStream out) throws Exception;
  }

  private ReportLines() {}

  /** What {@code run} printed. */
  public static String report(Run run) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      run.printTo(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The lines of {@code report} that {@code p} matches whole, in order. */
  public static List<Matcher> all(Pattern p, String report) {
    return report.lines().map(p::matcher).filter(Matcher::matches).toList();
  }

  /** The one line of {@code report} that {@code p} matches whole; fails if not exactly one. */
  public static Matcher only(Pattern p, String report) {
    List<Matcher> found = all(p, report);
    assertEquals(1, found.size(), p + " in\n" + report);
    return found.getFirst();
  }

  /** A number as printed, with or without grouping commas. */
  public static double number(String printed) {
    return Double.parseDouble(printed.replace(",", ""));
  }

  /**
   * {@code ratio} is the quotient of {@code numerator} and {@code denominator}, all three as
   * printed. Each printed figure stands for any value within half its last digit, so the check
   * passes when some numerator and denominator that print as given have a quotient that prints
   * as {@code ratio}: rounding alone can never fail it, and a ratio off by more than the printed
   * precision always does.
   */
  public static void assertQuotient(String numerator, String denominator, String ratio,
      String context) {
    double num = number(numerator);
    double den = number(denominator);
    double numHalf = halfStep(numerator);
    double denHalf = halfStep(denominator);
    double lowest = (num - numHalf) / (den + denHalf);
    double highest = den > denHalf ? (num + numHalf) / (den - denHalf) : Double.POSITIVE_INFINITY;
    double printed = number(ratio);
    double ratioHalf = halfStep(ratio);
    assertTrue(printed + ratioHalf >= lowest && printed - ratioHalf <= highest,
        "printed " + ratio + ", but " + numerator + " / " + denominator + " lies between "
            + lowest + " and " + highest + ": " + context);
  }

  /** Half the unit of the last digit of a printed number: 0.005 for "1.23", 0.5 for "1,234". */
  private static double halfStep(String printed) {
    int point = printed.indexOf('.');
    int decimals = point < 0 ? 0 : printed.length() - point - 1;
    return 0.5 * Math.pow(10, -decimals);
  }
}
