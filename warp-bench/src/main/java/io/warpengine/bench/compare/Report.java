package io.warpengine.bench.compare;

import io.warpengine.bench.compare.Comparison.Result;
import io.warpengine.bench.compare.Comparison.Settings;
import io.warpengine.bench.compare.Contender.Pair;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The three outputs of a {@code warp bench} run, all made from the same {@link Result}s: the
 * terminal table ({@link #printTable}), the JSON document ({@link #json}) and a self-contained
 * HTML page ({@link #html}) whose charts are inline SVG drawn here (no script, no network) and
 * which carries the JSON document in a {@code <script type="application/json">} element.
 *
 * <p>Ratios are Warp's throughput over the other store's, both measured in the same cell of the
 * same run ({@link Contender#PAIRS}); where the project has a target for a pair and workload
 * ({@link #TARGETS}) the table says whether it was met.
 */
public final class Report {

  /** A target of the issue: on {@code workload}, {@code pair}'s ratio is at least {@code atLeast}. */
  public record Target(Pair pair, String workload, double atLeast) {}

  /** The targets; "Warp" against RocksDB and MVStore is the durable Warp (PERIODIC). */
  public static final List<Target> TARGETS = List.of(
      new Target(new Pair(Contender.WARP_CORE, Contender.MAP), "get", 0.8),
      new Target(new Pair(Contender.WARP_PHYSICS, Contender.MAP), "get", 0.7),
      new Target(new Pair(Contender.WARP_PERIODIC, Contender.ROCKSDB), "put", 3),
      new Target(new Pair(Contender.WARP_PERIODIC, Contender.ROCKSDB), "get", 5),
      new Target(new Pair(Contender.WARP_PERIODIC, Contender.MVSTORE), "get", 3));

  /** One ratio of one cell. */
  public record Ratio(String workload, int threads, Pair pair, double warpOps, double otherOps,
                      Optional<Target> target) {
    public double ratio() {
      return warpOps / otherOps;
    }

    String verdict() {
      return target.map(t -> String.format(Locale.ROOT, "%s %.1f %s",
          ratio() >= t.atLeast() ? ">=" : "<", t.atLeast(), ratio() >= t.atLeast() ? "met"
              : "MISSED")).orElse("");
    }
  }

  private final Settings settings;
  private final Map<String, Object> machine;
  private final List<Result> results;
  private final List<Ratio> ratios;

  public Report(Settings settings, Map<String, Object> machine, List<Result> results) {
    this.settings = settings;
    this.machine = machine;
    this.results = List.copyOf(results);
    this.ratios = ratios(results);
  }

  public List<Ratio> ratios() {
    return ratios;
  }

  private static List<Ratio> ratios(List<Result> results) {
    List<Ratio> out = new ArrayList<>();
    Map<String, Map<Contender, Result>> cells = cells(results);
    for (Map<Contender, Result> cell : cells.values()) {
      for (Pair p : Contender.PAIRS) {
        Result w = cell.get(p.warp());
        Result o = cell.get(p.other());
        if (w != null && o != null) {
          Optional<Target> target = TARGETS.stream()
              .filter(t -> t.pair().equals(p) && t.workload().equals(w.workload())).findFirst();
          out.add(new Ratio(w.workload(), w.threads(), p, w.opsPerSecond(), o.opsPerSecond(),
              target));
        }
      }
    }
    return out;
  }

  /** Results grouped by cell ("workload/threads"), in run order. */
  private static Map<String, Map<Contender, Result>> cells(List<Result> results) {
    Map<String, Map<Contender, Result>> cells = new LinkedHashMap<>();
    for (Result r : results) {
      cells.computeIfAbsent(r.workload() + "/" + r.threads(), k -> new LinkedHashMap<>())
          .put(r.store(), r);
    }
    return cells;
  }

  // ------------------------------------------------------------------ terminal

  private static final String ROW = "  %-25s %14s %10s %10s %10s %10s %8s%n";
  private static final String RATIO_ROW = "  %-13s %7s  %-45s %14s %14s %8s  %s%n";

  public void printTable(PrintStream out) {
    for (Map<Contender, Result> cell : cells(results).values()) {
      Result first = cell.values().iterator().next();
      out.printf(Locale.ROOT, "%n%s (%s), %d thread%s%n", first.workload(),
          workload(first.workload()).describe(), first.threads(), first.threads() == 1 ? "" : "s");
      out.printf(Locale.ROOT, ROW, "store", "ops/s", "p50 µs", "p99 µs", "p99.9 µs", "max µs",
          "misses");
      for (Result r : cell.values()) {
        out.printf(Locale.ROOT, ROW, r.store().label, String.format(Locale.ROOT, "%,.0f",
                r.opsPerSecond()), micros(r.p50Micros()), micros(r.p99Micros()),
            micros(r.p999Micros()), micros(r.maxMicros()), String.format("%,d", r.misses()));
      }
    }
    out.printf(Locale.ROOT, "%nWarp / other: throughput ratios, both measured in the same run%n");
    out.printf(Locale.ROOT, RATIO_ROW, "workload", "threads", "pair", "Warp ops/s", "other ops/s",
        "ratio", "target");
    for (Ratio r : ratios) {
      out.printf(Locale.ROOT, RATIO_ROW, r.workload(), r.threads(), r.pair(),
          String.format(Locale.ROOT, "%,.0f", r.warpOps()),
          String.format(Locale.ROOT, "%,.0f", r.otherOps()),
          String.format(Locale.ROOT, "%.2f", r.ratio()), r.verdict());
    }
    long missed = results.stream().filter(r -> r.misses() > 0).count();
    if (missed > 0) {
      out.printf("%nWARNING: %d results had gets that found no value (see misses): every key was"
          + " loaded, so that store lost or evicted data.%n", missed);
    }
  }

  private static String micros(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 1000 ? "%.1f" : "%,.0f", v);
  }

  private Workload workload(String name) {
    return settings.workloads().stream().filter(w -> w.name().equals(name)).findFirst()
        .orElseThrow();
  }

  // ------------------------------------------------------------------ JSON

  /** The run as a JSON-ready tree: machine, settings, workloads, stores, results, ratios. */
  public Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("tool", "warp bench");
    root.put("machine", machine);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("keys", settings.keys());
    s.put("valueBytes", settings.valueSize());
    s.put("threads", settings.threads());
    s.put("warmupMillis", settings.warmup().toMillis());
    s.put("sliceMillis", settings.opsPerSlice() > 0 ? null : settings.slice().toMillis());
    s.put("opsPerSlice", settings.opsPerSlice() > 0 ? settings.opsPerSlice() : null);
    s.put("rounds", settings.rounds());
    s.put("latencyEvery", settings.latencyEvery());
    s.put("seed", settings.seed());
    root.put("settings", s);
    List<Object> workloads = new ArrayList<>();
    for (Workload w : settings.workloads()) {
      workloads.add(ordered("name", w.name(), "readPercent", w.readPercent(), "distribution",
          w.distribution().name().toLowerCase(Locale.ROOT)));
    }
    root.put("workloads", workloads);
    List<Object> stores = new ArrayList<>();
    for (Contender c : settings.stores()) {
      stores.add(ordered("id", c.id(), "label", c.label, "warp", c.warp, "description",
          c.description));
    }
    root.put("stores", stores);
    List<Object> rs = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = ordered("workload", r.workload(), "threads", r.threads(), "store",
          r.store().id(), "ops", r.ops(), "seconds", r.seconds(), "opsPerSecond",
          r.opsPerSecond(), "misses", r.misses());
      m.put("latencyMicros", ordered("samples", r.latencySamples(), "p50", r.p50Micros(),
          "p99", r.p99Micros(), "p99.9", r.p999Micros(), "max", r.maxMicros()));
      rs.add(m);
    }
    root.put("results", rs);
    List<Object> ratioList = new ArrayList<>();
    for (Ratio r : ratios) {
      Map<String, Object> m = ordered("workload", r.workload(), "threads", r.threads(), "warp",
          r.pair().warp().id(), "other", r.pair().other().id(), "ratio", r.ratio());
      m.put("target", r.target().map(t -> (Object) t.atLeast()).orElse(null));
      m.put("met", r.target().map(t -> (Object) (r.ratio() >= t.atLeast())).orElse(null));
      ratioList.add(m);
    }
    root.put("ratios", ratioList);
    return root;
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  // ------------------------------------------------------------------ HTML

  private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
      "#9467bd", "#8c564b"};
  private static final int LABEL = 170;
  private static final int BARS = 520;

  /** A self-contained page: setup, charts, tables, and the JSON document. */
  public String html() {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>warp bench</title><style>")
        .append("body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 8px;")
        .append("text-align:right;border-bottom:1px solid #ddd}td:first-child,th:first-child")
        .append("{text-align:left}.missed{color:#c00;font-weight:bold}svg{display:block;")
        .append("margin:0.5em 0 1.5em}</style></head><body>\n")
        .append("<h1>warp bench</h1>\n<p>").append(escape(setupLine())).append("</p>\n");
    h.append("<h2>Throughput by store and thread count</h2>\n");
    for (Workload w : settings.workloads()) {
      h.append("<h3>").append(escape(w.name() + " (" + w.describe() + ")")).append("</h3>\n");
      h.append(throughputChart(w));
    }
    h.append("<h2>Warp / other</h2>\n").append(ratioTable());
    h.append("<h2>Latency percentiles (µs, log scale)</h2>\n");
    for (Map<Contender, Result> cell : cells(results).values()) {
      Result first = cell.values().iterator().next();
      h.append("<h3>").append(escape(first.workload() + ", " + first.threads() + " thread"
          + (first.threads() == 1 ? "" : "s"))).append("</h3>\n");
      h.append(latencyChart(cell)).append(resultTable(cell));
    }
    h.append("<h2>Data</h2>\n<script type=\"application/json\" id=\"warp-bench-data\">\n")
        .append(Json.write(json())).append("</script>\n<p>The JSON document above is in this"
            + " page's source (element <code>warp-bench-data</code>).</p>\n</body></html>\n");
    return h.toString();
  }

  private String setupLine() {
    return String.format(Locale.ROOT, "Machine: %s, %s processors, %s, JDK %s, max heap %s MiB."
            + " Load average %s before, %s after. %,d keys, %d-byte values, threads %s;"
            + " warm-up %d ms, %d rounds of %s per store, alternating; latency timed on one"
            + " operation in %d.", machine.get("cpu"), machine.get("processors"),
        machine.get("os"), machine.get("jdk"), machine.get("maxHeapMiB"),
        machine.get("loadAverageBefore"), machine.get("loadAverageAfter"), settings.keys(),
        settings.valueSize(), settings.threads(), settings.warmup().toMillis(),
        settings.rounds(), settings.opsPerSlice() > 0 ? settings.opsPerSlice() + " ops"
            : settings.slice().toMillis() + " ms", settings.latencyEvery());
  }

  private String throughputChart(Workload w) {
    List<Result> rows = results.stream().filter(r -> r.workload().equals(w.name()))
        .sorted(java.util.Comparator.comparingInt((Result r) -> r.store().ordinal())
            .thenComparingInt(Result::threads)).toList();
    double max = rows.stream().mapToDouble(Result::opsPerSecond).max().orElse(1);
    int rowHeight = 16;
    int height = rows.size() * rowHeight + 30;
    StringBuilder s = svg(LABEL + BARS + 130, height);
    int y = 4;
    Contender previous = null;
    for (Result r : rows) {
      if (r.store() != previous) {
        text(s, 0, y + 12, r.store().label, "start");
        previous = r.store();
      }
      int colour = settings.threads().indexOf(r.threads());
      double width = BARS * r.opsPerSecond() / max;
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\""
              + " fill=\"%s\"><title>%s</title></rect>", LABEL, y, width, rowHeight - 3,
          COLOURS[colour % COLOURS.length], escape(r.store().label + ", " + r.threads()
              + " threads: " + String.format(Locale.ROOT, "%,.0f ops/s", r.opsPerSecond()))));
      text(s, LABEL + (int) width + 4, y + 11, String.format(Locale.ROOT, "%,.0f", r.opsPerSecond())
          + " (" + r.threads() + "t)", "start");
      y += rowHeight;
    }
    legend(s, y + 14, settings.threads().stream().map(t -> t + " thread" + (t == 1 ? "" : "s"))
        .toList());
    return s.append("</svg>\n").toString();
  }

  private String latencyChart(Map<Contender, Result> cell) {
    String[] names = {"p50", "p99", "p99.9", "max"};
    double max = cell.values().stream().mapToDouble(Result::maxMicros).max().orElse(1);
    double low = Math.log10(0.01);
    double high = Math.log10(Math.max(max, 1)) + 0.1;
    int group = 4 * 9 + 6;
    StringBuilder s = svg(LABEL + BARS + 90, cell.size() * group + 44);
    int y = 4;
    for (Result r : cell.values()) {
      text(s, 0, y + 20, r.store().label, "start");
      double[] v = {r.p50Micros(), r.p99Micros(), r.p999Micros(), r.maxMicros()};
      for (int i = 0; i < 4; i++) {
        double w = BARS * (Math.log10(Math.max(v[i], 0.01)) - low) / (high - low);
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"8\""
                + " fill=\"%s\"><title>%s</title></rect>", LABEL, y + 9 * i, w, COLOURS[i],
            escape(r.store().label + " " + names[i] + ": " + micros(v[i]) + " µs")));
        text(s, LABEL + (int) w + 4, y + 9 * i + 8, micros(v[i]), "start");
      }
      y += group;
    }
    for (int decade = -2; decade <= Math.floor(high); decade++) {
      double x = LABEL + BARS * (decade - low) / (high - low);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\""
          + " stroke=\"#bbb\" stroke-dasharray=\"2,2\"/>", x, x, y));
      text(s, (int) x, y + 12, decade < 0 ? String.format(Locale.ROOT, "%s µs",
          Math.pow(10, decade)) : String.format(Locale.ROOT, "%,d µs",
          (long) Math.pow(10, decade)), "middle");
    }
    legend(s, y + 30, List.of(names));
    return s.append("</svg>\n").toString();
  }

  private static StringBuilder svg(int width, int height) {
    return new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\""
        + " width=\"%d\" height=\"%d\" font-size=\"11\">", width, height));
  }

  private static void text(StringBuilder s, int x, int y, String text, String anchor) {
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>",
        x, y, anchor, escape(text)));
  }

  private static void legend(StringBuilder s, int y, List<String> names) {
    int x = LABEL;
    for (int i = 0; i < names.size(); i++) {
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\""
          + " fill=\"%s\"/>", x, y - 9, COLOURS[i % COLOURS.length]));
      text(s, x + 14, y, names.get(i), "start");
      x += 100;
    }
  }

  private String ratioTable() {
    StringBuilder t = new StringBuilder("<table><tr><th>workload</th><th>threads</th><th>pair"
        + "</th><th>Warp ops/s</th><th>other ops/s</th><th>ratio</th><th>target</th></tr>\n");
    for (Ratio r : ratios) {
      t.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%,.0f</td>"
              + "<td>%,.0f</td><td>%.2f</td><td%s>%s</td></tr>%n", escape(r.workload()),
          r.threads(), escape(r.pair().toString()), r.warpOps(), r.otherOps(), r.ratio(),
          r.verdict().endsWith("MISSED") ? " class=\"missed\"" : "", escape(r.verdict())));
    }
    return t.append("</table>\n").toString();
  }

  private static String resultTable(Map<Contender, Result> cell) {
    StringBuilder t = new StringBuilder("<table><tr><th>store</th><th>ops/s</th><th>p50 µs</th>"
        + "<th>p99 µs</th><th>p99.9 µs</th><th>max µs</th><th>misses</th></tr>\n");
    for (Result r : cell.values()) {
      t.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,.0f</td><td>%s</td><td>%s</td>"
              + "<td>%s</td><td>%s</td><td>%,d</td></tr>%n", escape(r.store().label),
          r.opsPerSecond(), micros(r.p50Micros()), micros(r.p99Micros()), micros(r.p999Micros()),
          micros(r.maxMicros()), r.misses()));
    }
    return t.append("</table>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
