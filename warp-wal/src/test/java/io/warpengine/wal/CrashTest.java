package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import io.warpengine.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a child JVM that writes (in ALWAYS mode; once without fsync; once with most values
 * beyond the event horizon, on disk only) with SIGKILL at random
 * moments (fixed seed), 20 times per workload over the same directory, and checks after each
 * kill that the recovered state holds
 * every acknowledged write and nothing that was not written: for each writer thread, the
 * state of its keys is the model after its last acknowledged operation, or after the one
 * that was in flight when the kill came.
 */
class CrashTest {

  private static final int THREADS = 6;
  private static final int CYCLES = 20;

  @TempDir
  Path dir;
  /** The child's standard error, apart from the data directory, which refuses foreign files. */
  @TempDir
  Path logs;

  @ParameterizedTest
  @EnumSource(CrashWorkload.class)
  void everyAcknowledgedWriteSurvivesSigkill(CrashWorkload workload) throws Exception {
    SplittableRandom random = new SplittableRandom(1125 + workload.ordinal());
    long[] next = new long[THREADS]; // each thread's first operation not yet durable
    Set<String> snapshotsSeen = new HashSet<>();
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      long[] acked = next.clone();
      for (int t = 0; t < THREADS; t++) {
        acked[t]--; // the last acknowledged operation; first - 1 when none yet
      }
      int killAfter = random.nextInt(20, 400);
      Process child = start(workload, next);
      CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(child::destroyForcibly);
      int seen = 0;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          String[] f = line.split(" ");
          if (f.length == 4 && f[0].equals("A") && f[3].equals(".")) {
            int t = Integer.parseInt(f[1]);
            long i = Long.parseLong(f[2]);
            assertEquals(acked[t] + 1, i, "thread " + t + " acknowledges in order");
            acked[t] = i;
            if (++seen == killAfter) {
              // SIGKILL through the handle, which (unlike Process.destroyForcibly) leaves the pipe
              // open, so the lines printed before the kill are still read
              child.toHandle().destroyForcibly();
            }
          }
        }
      } finally {
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child exits");
      }
      assertTrue(seen >= killAfter, "cycle " + cycle + ": the child died early after " + seen
          + " writes; see " + logs.resolve("child.log"));
      try (Stream<Path> files = Files.list(dir)) {
        files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".snap"))
            .forEach(snapshotsSeen::add);
      }
      next = verify(workload, acked, cycle);
    }
    if (workload.compacts()) {
      assertTrue(snapshotsSeen.size() >= CYCLES / 2, "snapshots ran while the child was killed:"
          + " the kills found " + snapshotsSeen.size() + " different snapshots");
    }
  }

  private Process start(CrashWorkload workload, long[] first) throws IOException {
    List<String> args = new ArrayList<>(List.of(dir.toString(), workload.name()));
    Arrays.stream(first).mapToObj(Long::toString).forEach(args::add);
    return ChildJvm.start(CrashChild.class, "io.warpengine.wal", args,
        logs.resolve("child.log"));
  }

  /** Reopens the directory and checks it; returns each thread's first operation not durable. */
  private long[] verify(CrashWorkload workload, long[] acked, int cycle) {
    long[] next = new long[THREADS];
    try (WarpEngine engine = Warp.open(WarpOptions.builder().dataDirectory(dir).shards(4).build())) {
      assertEquals(engine.metrics().entries(), engine.metrics().beyondEntries(),
          "with the event horizon present, recovery leaves every value on disk: the scan reads"
              + " them all back by location");
      SortedMap<String, byte[]> all = engine.scan("", Integer.MAX_VALUE);
      for (int t = 0; t < THREADS; t++) {
        TreeMap<String, String> got = new TreeMap<>();
        String prefix = "t" + t + "-";
        all.forEach((k, v) -> {
          if (k.startsWith(prefix)) {
            got.put(k, new String(v, UTF_8));
          }
        });
        TreeMap<String, String> ackedState = new TreeMap<>();
        workload.model(ackedState, t, acked[t]);
        TreeMap<String, String> inFlight = new TreeMap<>();
        workload.model(inFlight, t, acked[t] + 1);
        if (got.equals(ackedState)) {
          next[t] = acked[t] + 1;
        } else if (got.equals(inFlight)) {
          next[t] = acked[t] + 2;
        } else {
          throw new AssertionError("cycle " + cycle + ", thread " + t + ": recovered " + got
              + " matches neither the acknowledged state " + ackedState
              + " nor the one with the in-flight write " + inFlight);
        }
      }
      assertEquals(all.size(), all.keySet().stream().filter(k -> k.matches("t\\d+-k\\d+")).count(),
          "no invented keys");
    }
    return next;
  }
}
