package io.warpengine.wal;

import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child JVM of {@link CrashTest}: opens the engine with the workload's policy and runs it on
 * several threads, printing {@code A thread op .} on stdout after each write returns (that is,
 * was acknowledged), until the parent kills it.
 *
 * <p>Arguments: data directory, workload, then each thread's first operation index.
 */
public final class CrashChild {

  private CrashChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    CrashWorkload workload = CrashWorkload.valueOf(args[1]);
    WarpOptions.Builder options = WarpOptions.builder().dataDirectory(dir)
        .syncPolicy(workload.policy).shards(4);
    if (workload.compacts()) {
      options.property("wal.segmentBytes", "4096");
    }
    if (workload == CrashWorkload.HORIZON) {
      options.property("cache.maxEntries", "4");
    }
    WarpEngine engine = Warp.open(options.build());
    PrintStream out = new PrintStream(System.out, false);
    for (int t = 0; t + 2 < args.length; t++) {
      int thread = t;
      long first = Long.parseLong(args[t + 2]);
      Thread.ofPlatform().start(() -> {
        for (long i = first; ; i++) {
          workload.run(engine, thread, i);
          synchronized (out) {
            out.println("A " + thread + " " + i + " .");
            out.flush();
          }
        }
      });
    }
  }
}
