package io.warpengine.bench.compare;

import io.warpengine.bench.compare.Comparison.Result;
import io.warpengine.bench.compare.Comparison.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./warp bench}: Warp against the stores a user would pick instead, in one run
 * ({@link Comparison}), with a table on the terminal, a JSON file and an HTML report
 * ({@link Report}) written to a directory it prints.
 *
 * <p>It runs on the class path (RocksDB, H2 and HdrHistogram are not named modules, so they are
 * not in the jlink image), with Warp's modules on the module path, like {@code ./warp jmh}.
 */
@Command(name = "warp bench", sortOptions = false, showDefaultValues = true,
    description = "Compare Warp with ConcurrentHashMap, Caffeine, H2 MVStore and RocksDB.")
public final class CompareCommand implements Callable<Integer> {

  /** The preset sizes: the default run, and {@code --quick} (under 2 minutes on 2 cores). */
  private record Preset(int keys, Duration warmup, Duration slice, int rounds) {
    static final Preset FULL = new Preset(1_000_000, Duration.ofSeconds(1),
        Duration.ofSeconds(2), 3);
    static final Preset QUICK = new Preset(100_000, Duration.ofMillis(200),
        Duration.ofMillis(400), 2);
  }

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--quick", description = "The quick preset: 100,000 keys, 200 ms warm-up,"
      + " 2 rounds of 400 ms (options given explicitly still win).")
  private boolean quick;

  @Option(names = "--workloads", split = ",", description = "Workloads: get, put, mixed,"
      + " update-heavy, get-zipf, or custom:READ_PERCENT:uniform|zipf.")
  private List<String> workloads = List.of("get", "put", "mixed");

  @Option(names = "--stores", split = ",", description = "Stores (default: all): warp-core,"
      + " warp-periodic, warp-always, warp-physics, map, copying-map, caffeine, mvstore, rocksdb,"
      + " rocksdb-sync.")
  private List<String> stores;

  @Option(names = "--keys", description = "Keys loaded into every store (default 1,000,000;"
      + " --quick 100,000).")
  private Integer keys;

  @Option(names = "--value-size", description = "Bytes per value.")
  private int valueSize = 100;

  @Option(names = "--threads", split = ",", description = "Thread counts.")
  private List<Integer> threads = List.of(1, 2);

  @Option(names = "--warmup-ms", description = "Warm-up per store and cell (default 1000;"
      + " --quick 200).")
  private Integer warmupMillis;

  @Option(names = "--slice-ms", description = "Length of one measured slice (default 2000;"
      + " --quick 400).")
  private Integer sliceMillis;

  @Option(names = "--ops", description = "End each slice after this many operations instead"
      + " of after --slice-ms.")
  private long ops;

  @Option(names = "--rounds", description = "Measured slices per store and cell, alternating"
      + " stores (default 3; --quick 2).")
  private Integer rounds;

  @Option(names = "--latency-every", description = "Time one operation in N.")
  private int latencyEvery = 8;

  @Option(names = "--seed", description = "Seed of the key sequences and values.")
  private long seed = 1;

  @Option(names = "--dir", description = "Where the stores' files go (default: a new directory"
      + " under java.io.tmpdir); deleted at the end.")
  private Path dir;

  @Option(names = "--out", description = "Directory of the report (default:"
      + " warp-bench-results/<time>).")
  private Path out;

  /** What the last {@link #call} measured, for tests. */
  private List<Result> results;
  private Path jsonFile;
  private Path htmlFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompareCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Preset p = quick ? Preset.QUICK : Preset.FULL;
    Settings settings;
    try {
      settings = new Settings(keys != null ? keys : p.keys(), valueSize, threads,
          workloads.stream().map(Workload::parse).toList(),
          stores == null ? List.of(Contender.values())
              : stores.stream().map(Contender::byId).distinct().toList(),
          Duration.ofMillis(warmupMillis != null ? warmupMillis : p.warmup().toMillis()),
          Duration.ofMillis(sliceMillis != null ? sliceMillis : p.slice().toMillis()), ops,
          rounds != null ? rounds : p.rounds(), latencyEvery, seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path outDir = out != null ? out : Path.of("warp-bench-results", DateTimeFormatter
        .ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
    try { // before the run, so that a report that cannot be written costs no measurements
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--out " + outDir + ": cannot make the"
          + " report's directory (" + e + ")", e);
    }
    Path data = dir != null ? dir.resolve("warp-bench-" + System.nanoTime())
        : Files.createTempDirectory("warp-bench");
    Map<String, Object> machine = machine();
    stdout.printf(Locale.ROOT, "warp bench: %s, %s processors, JDK %s, max heap %s MiB, load"
            + " average %s%n", machine.get("cpu"), machine.get("processors"), machine.get("jdk"),
        machine.get("maxHeapMiB"), machine.get("loadAverageBefore"));
    stdout.printf(Locale.ROOT, "%,d keys, %d-byte values, threads %s, workloads %s; stores in %s%n",
        settings.keys(), settings.valueSize(), settings.threads(),
        settings.workloads().stream().map(Workload::name).toList(), data);
    results = new Comparison(settings, data, stdout).run();
    machine.put("loadAverageAfter", loadAverage());
    Report report = new Report(settings, machine, results);
    report.printTable(stdout);
    jsonFile = outDir.resolve("bench.json");
    htmlFile = outDir.resolve("bench.html");
    Files.writeString(jsonFile, Json.write(report.json()));
    Files.writeString(htmlFile, report.html());
    stdout.printf("%nJSON: %s%nHTML report: %s%n", jsonFile.toAbsolutePath(),
        htmlFile.toAbsolutePath());
    return 0;
  }

  List<Result> results() {
    return results;
  }

  Path jsonFile() {
    return jsonFile;
  }

  Path htmlFile() {
    return htmlFile;
  }

  private static Map<String, Object> machine() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("startedUtc", Instant.now().toString());
    m.put("cpu", cpuModel());
    m.put("processors", Runtime.getRuntime().availableProcessors());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("jdk", Runtime.version().toString());
    m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
    m.put("loadAverageBefore", loadAverage());
    return m;
  }

  /** The one-minute load average, to two decimals. */
  private static double loadAverage() {
    return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100)
        / 100.0;
  }

  /** The "model name" of /proc/cpuinfo, where there is one. */
  private static String cpuModel() throws IOException {
    Path info = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(info)) {
      return "unknown CPU";
    }
    try (Stream<String> lines = Files.lines(info)) {
      return lines.filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    }
  }
}
