package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.SyncPolicy;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers, readers, and snapshots with compaction (a 1 ms snapshot schedule and tiny segments)
 * all at once, checked against a model: each writer owns its keys, so the model is exact.
 */
class ConcurrencyTest {

  private static final int WRITERS = 4;
  private static final int OPS = 6_000;
  private static final int KEYS = 64;

  @TempDir
  Path dir;

  private WarpOptions options() {
    return WarpOptions.builder().dataDirectory(dir).syncPolicy(SyncPolicy.NONE).shards(8)
        .property("wal.segmentBytes", "8192").property("wal.snapshotInterval", "1").build();
  }

  @Test
  void writersReadersSnapshotsAndCompactionAgreeWithTheModel() throws Exception {
    List<Map<String, String>> models = new ArrayList<>();
    Map<String, Long> snapshotsTaken;
    TreeMap<String, String> finalState = new TreeMap<>();
    try (WarpEngine engine = Warp.open(options());
         ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2)) {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      Map<String, Long> lastSeenOp = new ConcurrentHashMap<>();
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Map<String, String> model = new TreeMap<>();
        models.add(model);
        writers.add(pool.submit(() -> {
          start.await();
          SplittableRandom random = new SplittableRandom(writer);
          for (int i = 0; i < OPS; i++) {
            String key = "w" + writer + "-" + random.nextInt(KEYS);
            int kind = random.nextInt(10);
            if (kind == 0) {
              engine.delete(key);
              model.remove(key);
            } else if (kind == 1) {
              Map<String, byte[]> batch = Map.of(key, ("w" + writer + ":" + i).getBytes(UTF_8),
                  key + "b", ("w" + writer + ":" + i).getBytes(UTF_8));
              engine.putAll(batch);
              batch.forEach((k, v) -> model.put(k, new String(v, UTF_8)));
            } else {
              String v = "w" + writer + ":" + i;
              engine.put(key, v.getBytes(UTF_8));
              model.put(key, v);
            }
          }
          return null;
        }));
      }
      // Readers: a key's value only moves forward in its writer's operation order.
      Future<?> reader = pool.submit(() -> {
        start.await();
        SplittableRandom random = new SplittableRandom(99);
        while (writing.get()) {
          String key = "w" + random.nextInt(WRITERS) + "-" + random.nextInt(KEYS);
          byte[] v = engine.get(key);
          if (v != null) {
            String s = new String(v, UTF_8);
            assertTrue(s.startsWith(key.substring(0, key.indexOf('-')) + ":"), s);
            long op = Long.parseLong(s.substring(s.indexOf(':') + 1));
            Long before = lastSeenOp.put(key, op);
            assertTrue(before == null || before <= op, key + " went back from " + before + " to " + op);
          }
        }
        return null;
      });
      start.countDown();
      for (Future<?> f : writers) {
        f.get();
      }
      writing.set(false);
      reader.get();
      models.forEach(finalState::putAll);
      TreeMap<String, String> got = new TreeMap<>();
      engine.scan("", Integer.MAX_VALUE).forEach((k, v) -> got.put(k, new String(v, UTF_8)));
      assertEquals(finalState, got);
      snapshotsTaken = Map.of("snapshots",
          engine.metrics().pluginMetrics().get("journal").get("snapshots").longValue(),
          "segmentsDeleted",
          engine.metrics().pluginMetrics().get("journal").get("segmentsDeleted").longValue());
    }
    assertTrue(snapshotsTaken.get("snapshots") > 2 && snapshotsTaken.get("segmentsDeleted") > 2,
        "snapshots and compaction ran alongside: " + snapshotsTaken);
    try (WarpEngine engine = Warp.open(options())) {
      TreeMap<String, String> got = new TreeMap<>();
      engine.scan("", Integer.MAX_VALUE).forEach((k, v) -> got.put(k, new String(v, UTF_8)));
      assertEquals(finalState, got, "the same after a restart");
    }
  }

  /** After a long overwrite run (and close) the directory holds at most twice the live data plus a segment. */
  @Test
  void overwritesDoNotGrowTheDiskWithoutBound() throws Exception {
    int segment = 64 << 10;
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).syncPolicy(SyncPolicy.NONE)
        .property("wal.segmentBytes", Integer.toString(segment)).build();
    long live;
    long written;
    try (WarpEngine engine = Warp.open(o)) {
      SplittableRandom random = new SplittableRandom(3);
      byte[] value = new byte[100];
      for (int i = 0; i < 60_000; i++) {
        random.nextBytes(value);
        String key = "key" + random.nextInt(1_000);
        if (i % 10 == 9) {
          engine.delete(key);
        } else {
          engine.put(key, value);
        }
      }
      live = engine.metrics().bytes();
      for (String k : engine.scan("", Integer.MAX_VALUE).keySet()) {
        live += k.getBytes(UTF_8).length;
      }
      written = engine.metrics().pluginMetrics().get("journal").get("bytesWritten").longValue();
    }
    long onDisk;
    try (Stream<Path> files = Files.list(dir)) {
      onDisk = files.mapToLong(f -> f.toFile().length()).sum();
    }
    assertTrue(written > 20 * live, "a long run: " + written + " bytes logged, " + live + " live");
    assertTrue(onDisk <= 2 * live + segment,
        onDisk + " bytes on disk for " + live + " live bytes and a " + segment + "-byte segment");
  }
}
