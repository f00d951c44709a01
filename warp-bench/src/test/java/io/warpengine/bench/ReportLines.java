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
   * {@code printed} is {@code exact} to within {@code halfStep}, half the last printed digit
   * (and a thousandth of it for the rounding of the figures it was computed from).
   */
  public static void assertPrintedAs(double exact, double printed, double halfStep,
      String context) {
    assertTrue(Math.abs(exact - printed) <= halfStep + 1e-3 * Math.abs(exact) + 1e-9,
        "printed " + printed + ", the figures beside it give " + exact + ": " + context);
  }
}
