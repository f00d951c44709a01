package io.warpengine.bench.compare;

import io.warpengine.bench.workload.Distribution;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A named mix of operations on the run's keys: the share of reads (the rest are puts of keys
 * that exist) and the key distribution. Key count, value size, threads and duration belong to
 * the run, not to the workload, so every workload of a run sees the same stores.
 *
 * @param name        its name on the command line and in the outputs
 * @param readPercent the share of gets, 0 to 100; the rest are puts
 */
public record Workload(String name, int readPercent, Distribution distribution) {

  /** The named workloads; the first three are the default. */
  public static final List<Workload> NAMED = List.of(
      new Workload("get", 100, Distribution.UNIFORM),
      new Workload("put", 0, Distribution.UNIFORM),
      new Workload("mixed", 95, Distribution.ZIPF),
      new Workload("update-heavy", 50, Distribution.ZIPF),
      new Workload("get-zipf", 100, Distribution.ZIPF));

  public Workload {
    if (readPercent < 0 || readPercent > 100) {
      throw new IllegalArgumentException("a workload's read share must be 0 to 100 percent, was "
          + readPercent);
    }
  }

  /**
   * A named workload, or a custom one written {@code custom:READ_PERCENT:uniform|zipf}
   * (for example {@code custom:80:zipf}).
   */
  public static Workload parse(String text) {
    String s = text.strip();
    for (Workload w : NAMED) {
      if (w.name.equals(s)) {
        return w;
      }
    }
    String[] parts = s.split(":");
    if (parts.length == 3 && parts[0].equals("custom")) {
      try {
        return new Workload(s, Integer.parseInt(parts[1]),
            Distribution.valueOf(parts[2].toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad custom workload '" + text + "': " + e.getMessage(),
            e);
      }
    }
    throw new IllegalArgumentException("unknown workload '" + text + "'; expected one of "
        + NAMED.stream().map(Workload::name).toList() + " or custom:READ_PERCENT:uniform|zipf");
  }

  /** The workload's keys and operations for one thread, drawn ahead with a fixed seed. */
  Plan plan(int keys, int length, long seed) {
    int[] indexes = distribution.over(keys).sequence(length, seed);
    boolean[] reads = new boolean[length];
    SplittableRandom random = new SplittableRandom(~seed);
    for (int i = 0; i < length; i++) {
      reads[i] = random.nextInt(100) < readPercent;
    }
    return new Plan(indexes, reads);
  }

  /** One thread's sequence: key {@code keys[i]}, read if {@code reads[i]}, else put. */
  record Plan(int[] keys, boolean[] reads) {}

  String describe() {
    return String.format(Locale.ROOT, "%d%% get / %d%% put, %s keys", readPercent,
        100 - readPercent, distribution.name().toLowerCase(Locale.ROOT));
  }
}
