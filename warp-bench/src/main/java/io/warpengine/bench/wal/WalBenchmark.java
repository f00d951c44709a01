package io.warpengine.bench.wal;

import io.warpengine.bench.io.Directories;
import io.warpengine.bench.workload.BenchArguments;
import io.warpengine.bench.workload.Workers;
import io.warpengine.api.SyncPolicy;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import io.warpengine.spi.Journal;
import io.warpengine.spi.JournalFactory;
import java.nio.charset.StandardCharsets;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Measures the write-ahead log against baselines taken in the same run on the same disk: put
 * throughput for each sync policy with 1, 8 and 64 writer threads (100-byte values) against
 * the raw single-writer fsync rate, the in-memory engine, and RocksDB (its write-ahead log on,
 * {@code sync} true for {@code ALWAYS}, false otherwise), and recovery throughput against the
 * disk's sequential read speed: of {@code Warp.open}, and of the journal alone replaying the
 * same files (so the figures show how much of recovery is the log and how much the engine's
 * maps). Every engine is the bare one (no physics plugin, whatever is on
 * the path). Every figure comes from a clock or a counter. Run it with {@code ./warp wal-bench}.
 *
 * <p>Arguments (all optional): {@code dir=PATH} (default {@code java.io.tmpdir}; the run works
 * in a new directory inside it and deletes that at the end), {@code seconds=N} per put
 * measurement (default 3; fractions allowed), {@code recovery=1000000,10000000} (record
 * counts; 10M needs about 4 GB of heap), {@code readMiB=1024} (size of the file for the
 * read-speed baseline, a multiple of 4: the file is written in 4 MiB chunks).
 */
public final class WalBenchmark {

  private static final int VALUE_BYTES = 100;
  private static final int[] THREADS = {1, 8, 64};
  private static final int KEYS_PER_THREAD = 100_000;

  private final Path root;
  private final Duration each;
  private final PrintStream out;

  private WalBenchmark(Path root, Duration each, PrintStream out) {
    this.root = root;
    this.each = each;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    BenchArguments.main("wal-bench", args, WalBenchmark::run);
  }

  /** The whole benchmark, its report printed to {@code out}; see the class comment. */
  static void run(String[] args, PrintStream out) throws Exception {
    Map<String, String> a = BenchArguments.parse(args, Map.of("dir",
        System.getProperty("java.io.tmpdir"), "seconds", "3", "recovery", "1000000,10000000",
        "readMiB", "1024"));
    Duration each = BenchArguments.seconds(a, "seconds");
    int readMiB = BenchArguments.positive(a, "readMiB");
    if (readMiB % 4 != 0) {
      throw new BenchArguments.Refused("readMiB=" + a.get("readMiB") + ": expected a multiple"
          + " of 4 (the file is written in 4 MiB chunks)");
    }
    List<Integer> recoveries = BenchArguments.positives(a, "recovery");
    // A directory of its own, inside the one named: the run deletes it at the end, and must not
    // delete anything it did not write.
    Path parent = Files.createDirectories(Path.of(a.get("dir")));
    Path root = Files.createTempDirectory(parent, "warp-wal-bench");
    try {
      WalBenchmark b = new WalBenchmark(root, each, out);
      b.printSetup();
      b.puts();
      double readMiBs = b.sequentialRead(readMiB);
      for (int records : recoveries) {
        b.recovery(records, readMiBs);
      }
    } finally {
      Directories.deleteTree(root);
    }
  }

  private void printSetup() throws IOException {
    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT,
        "warp-wal benchmark: JDK %s (%s), %s %s, %d processors, max heap %d MiB%n",
        Runtime.version(), System.getProperty("java.vm.name"), System.getProperty("os.name"),
        System.getProperty("os.arch"), rt.availableProcessors(), rt.maxMemory() >> 20);
    out.printf(Locale.ROOT,
        "directory %s on a %s file store; %s per put measurement, %d-byte values,"
        + " %,d keys per writer%n%n", root, Files.getFileStore(root).type(), each, VALUE_BYTES,
        KEYS_PER_THREAD);
  }

  // ------------------------------------------------------------------ baselines

  /** Appends 100 bytes and fsyncs, over and over, for one second: syncs per second. */
  private double rawFsyncRate() throws IOException {
    Path f = root.resolve("fsync-baseline");
    ByteBuffer record = ByteBuffer.allocate(VALUE_BYTES);
    long n = 0;
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(1);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      long pos = 0;
      while (System.nanoTime() < end) {
        record.clear();
        pos += ch.write(record, pos);
        ch.force(false);
        n++;
      }
    }
    double rate = n / seconds(System.nanoTime() - start);
    Files.delete(f);
    return rate;
  }

  /**
   * Writes a file, then reads it sequentially in 4 MiB chunks with O_DIRECT if the platform
   * offers it (the disk itself), else through the page cache (said so in the output).
   */
  private double sequentialRead(int mib) throws IOException {
    Path f = root.resolve("read-baseline");
    ByteBuffer chunk = ByteBuffer.allocateDirect((4 << 20) + 4096).alignedSlice(4096);
    new SplittableRandom(1).ints().limit(chunk.capacity() / 4).forEach(chunk::putInt);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      for (int i = 0; i < mib / 4; i++) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          ch.write(chunk);
        }
      }
      ch.force(true);
    }
    OpenOption direct = directOption();
    long bytes = 0;
    long start = System.nanoTime();
    try (FileChannel ch = direct == null ? FileChannel.open(f, StandardOpenOption.READ)
        : FileChannel.open(f, StandardOpenOption.READ, direct)) {
      for (int n = 0; n >= 0; ) {
        chunk.clear();
        n = ch.read(chunk);
        bytes += Math.max(n, 0);
      }
    }
    double mibs = bytes / 1048576.0 / seconds(System.nanoTime() - start);
    Files.delete(f);
    out.printf(Locale.ROOT, "%nsequential read of a %,d MiB file (%s): %,.0f MiB/s%n", bytes >> 20,
        direct == null ? "through the page cache: O_DIRECT unavailable" : "O_DIRECT, the disk",
        mibs);
    return mibs;
  }

  /** {@code ExtendedOpenOption.DIRECT} from jdk.unsupported, when it is in the module graph. */
  private static OpenOption directOption() {
    try {
      Class<?> c = Class.forName("com.sun.nio.file.ExtendedOpenOption");
      for (Object o : c.getEnumConstants()) {
        if (o.toString().equals("DIRECT")) {
          return (OpenOption) o;
        }
      }
      return null;
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ puts

  /**
   * Put throughput. The disk is shared and its fsync rate drifts, so for ALWAYS the raw fsync
   * rate is measured just before and just after each point and the ratio uses their mean. The
   * ALWAYS points run first: after PERIODIC and NONE the page cache holds much dirty data, and
   * on ext4 an fsync then waits for it, which would make the baseline meaningless.
   */
  private void puts() throws Exception {
    out.printf(Locale.ROOT, "%-22s %8s %14s %12s %14s %14s %16s %15s %13s%n", "policy", "writers",
        "puts/s", "vs memory", "raw fsyncs/s", "vs raw fsync", "puts per fsync", "RocksDB puts/s",
        "vs RocksDB");
    Map<Integer, Double> memory = new LinkedHashMap<>();
    for (int threads : THREADS) {
      memory.put(threads, putRun(null, threads).rate);
      out.printf(Locale.ROOT, "%-22s %8d %,14.0f %12s %14s %14s %16s%n", "in memory (baseline)",
          threads, memory.get(threads), "1.00x", "-", "-", "-");
    }
    List<SyncPolicy> policies = List.of(SyncPolicy.ALWAYS,
        SyncPolicy.periodic(Duration.ofMillis(100)), SyncPolicy.NONE);
    for (SyncPolicy policy : policies) {
      for (int threads : THREADS) {
        boolean always = policy instanceof SyncPolicy.Always;
        double fsyncsBefore = always ? rawFsyncRate() : Double.NaN;
        Run r = putRun(policy, threads);
        double fsyncs = always ? (fsyncsBefore + rawFsyncRate()) / 2 : Double.NaN;
        double rocks = rocksDbPuts(always, threads);
        long syncs = r.journal.get("syncs").longValue();
        out.printf(Locale.ROOT, "%-22s %8d %,14.0f %11.2fx %14s %14s %16s %,15.0f %12.2fx%n",
            name(policy), threads, r.rate, r.rate / memory.get(threads),
            always ? String.format(Locale.ROOT, "%,.0f", fsyncs) : "-",
            always ? String.format(Locale.ROOT, "%.1fx", r.rate / fsyncs) : "-",
            syncs == 0 ? "no fsync" : String.format(Locale.ROOT, "%,.1f", r.puts / (double) syncs),
            rocks, r.rate / rocks);
      }
    }
  }

  private static String name(SyncPolicy p) {
    return switch (p) {
      case SyncPolicy.Always x -> "ALWAYS";
      case SyncPolicy.None x -> "NONE";
      case SyncPolicy.Periodic x -> "PERIODIC(" + x.interval().toMillis() + " ms)";
    };
  }

  private record Run(double rate, long puts, Map<String, Number> journal) {}

  /** One writer's put: key number, value. */
  @FunctionalInterface
  private interface Put {
    void put(int writer, int key, byte[] value) throws Exception;
  }

  /**
   * {@code threads} writers put for the measurement time; returns the total count and rate. The
   * writers wait at a gate that opens when the clock starts, so every put counted is timed.
   */
  private double[] timedPuts(int threads, Put put) throws Exception {
    LongAdder puts = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    Workers writers = new Workers("the put writers");
    for (int t = 0; t < threads; t++) {
      int id = t;
      writers.start("wal-bench-writer-" + id, () -> {
        byte[] value = new byte[VALUE_BYTES];
        new SplittableRandom(id).nextBytes(value);
        ready.countDown();
        go.await();
        long n = 0;
        while (running.get()) {
          put.put(id, (int) (n % KEYS_PER_THREAD), value);
          n++;
        }
        puts.add(n);
      });
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep(each);
    running.set(false);
    writers.join();
    long elapsed = System.nanoTime() - start;
    return new double[] {puts.sum(), puts.sum() / seconds(elapsed)};
  }

  private static String key(int writer, int key) {
    return "w" + writer + "-" + key;
  }

  /** {@code threads} writers put for the measurement time into a fresh engine. */
  private Run putRun(SyncPolicy policy, int threads) throws Exception {
    Path dir = root.resolve("puts");
    WarpOptions.Builder o = WarpOptions.builder().discoverPlugins(false);
    if (policy != null) {
      o.dataDirectory(dir).syncPolicy(policy);
    }
    String[][] keys = keys(threads);
    double[] counted;
    Map<String, Number> journal;
    try (WarpEngine engine = Warp.open(o.build())) {
      counted = timedPuts(threads, (w, k, v) -> engine.put(keys[w][k], v));
      journal = engine.metrics().pluginMetrics().getOrDefault("journal", Map.of());
    }
    if (policy != null) {
      Directories.deleteTree(dir);
    }
    return new Run(counted[1], (long) counted[0], journal);
  }

  private static String[][] keys(int threads) {
    String[][] keys = new String[threads][KEYS_PER_THREAD];
    for (int w = 0; w < threads; w++) {
      for (int k = 0; k < KEYS_PER_THREAD; k++) {
        keys[w][k] = key(w, k);
      }
    }
    return keys;
  }

  /** The same puts into RocksDB with its write-ahead log on and {@code sync} as asked. */
  private double rocksDbPuts(boolean sync, int threads) throws Exception {
    Path dir = root.resolve("rocksdb");
    RocksDB.loadLibrary();
    byte[][][] keys = new byte[threads][KEYS_PER_THREAD][];
    String[][] names = keys(threads);
    for (int w = 0; w < threads; w++) {
      for (int k = 0; k < KEYS_PER_THREAD; k++) {
        keys[w][k] = names[w][k].getBytes(StandardCharsets.UTF_8);
      }
    }
    double rate;
    try (Options options = new Options().setCreateIfMissing(true);
         RocksDB db = RocksDB.open(options, dir.toString());
         WriteOptions write = new WriteOptions().setSync(sync)) {
      rate = timedPuts(threads, (w, k, v) -> db.put(write, keys[w][k], v))[1];
    }
    Directories.deleteTree(dir);
    return rate;
  }

  // ------------------------------------------------------------------ recovery

  private void recovery(int records, double readMiBs) throws Exception {
    Path dir = root.resolve("recovery-" + records);
    WarpOptions o = WarpOptions.builder().discoverPlugins(false).dataDirectory(dir)
        .syncPolicy(SyncPolicy.NONE).build();
    int writers = 8;
    try (WarpEngine engine = Warp.open(o)) {
      Workers writing = new Workers("the recovery writers");
      for (int t = 0; t < writers; t++) {
        int id = t;
        writing.start("wal-bench-recovery-writer-" + id, () -> {
          byte[] value = new byte[VALUE_BYTES];
          SplittableRandom random = new SplittableRandom(id);
          for (int i = id; i < records; i += writers) {
            random.nextBytes(value);
            engine.put("key" + i, value);
          }
        });
      }
      writing.join();
    }
    long onDisk;
    try (Stream<Path> files = Files.list(dir)) {
      onDisk = files.mapToLong(p -> p.toFile().length()).sum();
    }
    long pausedBefore = collectorPauseMillis();
    long start = System.nanoTime();
    long entries;
    Map<String, Number> journal;
    double s;
    double paused;
    try (WarpEngine engine = Warp.open(o)) {
      s = seconds(System.nanoTime() - start);
      paused = (collectorPauseMillis() - pausedBefore) / 1e3;
      entries = engine.size();
      journal = engine.metrics().pluginMetrics().get("journal");
    }
    double mibs = onDisk / 1048576.0 / s;
    out.printf(Locale.ROOT,
        "recovery of %,d puts: %,d entries, %,d records replayed from %,.0f MiB in"
            + " %.2f s (Warp.open): %,.0f records/s, %,.0f MiB/s = %.2fx the sequential read;"
            + " %.2f s of it in garbage-collection pauses%n",
        records, entries, journal.get("recoveredRecords").longValue(), onDisk / 1048576.0, s,
        journal.get("recoveredRecords").longValue() / s, mibs, mibs / readMiBs, paused);
    long start2 = System.nanoTime();
    long replayed = replayOnly(o);
    double logSeconds = seconds(System.nanoTime() - start2);
    double logMibs = onDisk / 1048576.0 / logSeconds;
    out.printf(Locale.ROOT,
        "  the log alone (the same files replayed by the journal into a handler that"
            + " only counts: reading, checking, decoding): %,d records in %.2f s, %,.0f MiB/s ="
            + " %.2fx the sequential read%n", replayed, logSeconds, logMibs, logMibs / readMiBs);
    Directories.deleteTree(dir);
  }

  /**
   * Replays {@code options}' data directory through the journal alone, into a handler that only
   * counts the records: recovery without building the engine's maps. Leaves the directory
   * unusable (closing the journal snapshots the empty state it was shown): delete it after.
   */
  private static long replayOnly(WarpOptions options) {
    JournalFactory factory = ServiceLoader.load(JournalFactory.class).findFirst().orElseThrow(
        () -> new IllegalStateException("no journal module (warp-wal) on the module path"));
    long[] count = new long[1];
    Journal.RecoveryHandler counting = new Journal.RecoveryHandler() {
      @Override
      public void put(String key, byte[] value) {
        count[0]++;
      }

      @Override
      public void delete(String key) {
        count[0]++;
      }

      @Override
      public void metadata(String owner, byte[] payload) {}
    };
    Journal.Host noEntries = new Journal.Host() {
      @Override
      public <T> T quiesced(Supplier<T> action) {
        return action.get();
      }

      @Override
      public void forEachEntry(Journal.EntryVisitor visitor) {}

      @Override
      public void relocated(String key, long from, long to) {}
    };
    try (Journal journal = factory.open(options, noEntries)) {
      journal.recover(counting);
      return count[0];
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The collection time the JVM's collectors report for their stop-the-world work, summed: every
   * {@link GarbageCollectorMXBean} but those that time concurrent work (G1's "G1 Concurrent GC",
   * ZGC's "Cycles"), which runs beside the application rather than stopping it.
   */
  private static long collectorPauseMillis() {
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!gc.getName().contains("Concurrent") && !gc.getName().contains("Cycles")) {
        millis += Math.max(0, gc.getCollectionTime());
      }
    }
    return millis;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
