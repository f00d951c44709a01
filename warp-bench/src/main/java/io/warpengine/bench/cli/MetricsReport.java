package io.warpengine.bench.cli;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.ShardMetrics;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a {@link MetricsSnapshot}: one row per shard, a row of totals, then each plugin's own
 * figures. It prints only what the snapshot holds.
 */
final class MetricsReport {

  private static final String ROW = "  %5s %12s %14s %13s %13s %13s %13s%n";

  private MetricsReport() {}

  static void print(PrintWriter out, MetricsSnapshot m) {
    out.println("Engine metrics (engine.metrics())");
    out.printf(Locale.ROOT, ROW, "shard", "entries", "value bytes", "reads", "misses", "writes",
        "deletes");
    for (ShardMetrics s : m.shardMetrics()) {
      row(out, Integer.toString(s.shard()), s.entries(), s.bytes(), s.reads(), s.misses(),
          s.writes(), s.deletes());
    }
    row(out, "all", m.entries(), m.bytes(), m.reads(), m.misses(), m.writes(), m.deletes());
    if (m.pluginMetrics().isEmpty()) {
      out.println("Plugin metrics: no physics plugin is loaded");
      return;
    }
    out.println("Plugin metrics");
    m.pluginMetrics().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(plugin -> {
      out.printf(Locale.ROOT, "  %s%n", plugin.getKey());
      plugin.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(metric ->
          out.printf(Locale.ROOT, "    %-28s %s%n", metric.getKey(), format(metric.getValue())));
    });
  }

  private static void row(PrintWriter out, String label, long... figures) {
    Object[] cells = new Object[figures.length + 1];
    cells[0] = label;
    for (int i = 0; i < figures.length; i++) {
      cells[i + 1] = String.format(Locale.ROOT, "%,d", figures[i]);
    }
    out.printf(Locale.ROOT, ROW, cells);
  }

  private static String format(Number n) {
    return switch (n) {
      case Long _, Integer _, Short _, Byte _ -> String.format(Locale.ROOT, "%,d", n.longValue());
      case Double _, Float _ -> String.format(Locale.ROOT, "%,.3f", n.doubleValue());
      default -> n.toString();
    };
  }
}
