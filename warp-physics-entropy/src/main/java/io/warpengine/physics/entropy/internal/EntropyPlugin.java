package io.warpengine.physics.entropy.internal;

import io.warpengine.api.PutOptions;
import io.warpengine.api.ShardMetrics;
import io.warpengine.physics.entropy.Entropy;
import io.warpengine.physics.entropy.EntropyMonitor;
import io.warpengine.physics.entropy.EntropySample;
import io.warpengine.physics.entropy.EntropyState;
import io.warpengine.spi.KeySampleBuffer;
import io.warpengine.spi.PeriodicTasks;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.Rebalancer;
import io.warpengine.spi.ShardView;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The entropy monitor and Maxwell's demon.
 *
 * <h2>What is measured</h2>
 * Every {@code entropy.interval} a sample reads each shard's live counters (entries, value
 * bytes, and the reads and writes since the previous sample) and computes their normalised
 * Shannon entropy ({@link Entropy#normalized}); "load" is reads plus writes. Key-access skew
 * comes from the read and write hooks, which offer each key to a lossy {@link KeySampleBuffer}
 * that keeps one offer in {@code entropy.keySamplePeriod} (default 16, a power of two; 1 keeps
 * every one) per stripe, and once a stripe is full drops every offer after one load of a flag
 * until the next drain (under load, most of the time: the hooks then cost next to nothing, and
 * the sample is the accesses just after each drain); ten times per interval the buffer is
 * drained into per-key counts, at most {@code entropy.maxSampledKeys} (default 4,096) distinct
 * keys per window (later new keys are counted as unsampled). So the key entropy is that of a
 * bounded, documented sample; {@code keySamples} counts the accesses it holds, beside the
 * engine's own count of reads and writes.
 *
 * <h2>The demon</h2>
 * When load entropy stays below {@code entropy.threshold} for {@code entropy.demonSamples}
 * samples in a row, and at least {@code entropy.cooldown} samples passed since it last acted,
 * the demon triggers: it asks a {@link Rebalancer} offered by another plugin (gravity offers
 * one) to rebalance, logs the entropy before, and logs the entropy after at the next sample.
 * With no rebalancer it only reports. Sampling and the demon run under one lock on the plugin
 * scheduler (or the caller of {@link #sampleNow}); the hooks only offer a key.
 */
final class EntropyPlugin implements PhysicsPlugin, EntropyMonitor {

  private static final System.Logger LOG = System.getLogger(EntropyPlugin.class.getName());

  private final PluginContext context;
  private final ShardView shards;
  private final Duration interval;
  private final int historySize;
  private final int trendWindow;
  private final double threshold;
  private final int demonSamples;
  private final int cooldown;
  private final int maxSampledKeys;
  private final KeySampleBuffer keys;

  // Guarded by "this".
  private final long[] previousReads;
  private final long[] previousWrites;
  private final Map<String, long[]> keyCounts = new HashMap<>();
  /** Sampled accesses drained, since start. */
  private long keySamples;
  /** Accesses to keys beyond the per-window cap, since start. */
  private long unsampledKeyAccesses;
  private final ArrayDeque<EntropySample> history = new ArrayDeque<>();
  private int lowStreak;
  private int cooldownLeft;
  private boolean awaitingAfter;
  private long triggers;
  private long rebalances;
  private double lastBefore = Double.NaN;
  private double lastAfter = Double.NaN;
  private long lastMoved = -1;
  /** The key drain and the sampling; null until start. */
  private PeriodicTasks tasks;

  EntropyPlugin(PluginContext context) {
    this.context = context;
    this.shards = context.shards();
    PluginConfig config = context.config();
    this.interval = config.duration("interval", Duration.ofSeconds(5));
    if (interval.toMillis() < 10) {
      throw new IllegalArgumentException("entropy.interval must be at least 10 ms, was " + interval);
    }
    this.historySize = atLeast(config.intValue("history", 120), 1, "entropy.history");
    this.trendWindow = atLeast(config.intValue("trendWindow", 10), 2, "entropy.trendWindow");
    this.threshold = config.doubleValue("threshold", 0.85);
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("entropy.threshold must be in (0, 1], was " + threshold);
    }
    this.demonSamples = atLeast(config.intValue("demonSamples", 2), 1, "entropy.demonSamples");
    this.cooldown = atLeast(config.intValue("cooldown", 6), 0, "entropy.cooldown");
    this.maxSampledKeys = atLeast(config.intValue("maxSampledKeys", 4_096), 1, "entropy.maxSampledKeys");
    int keySamplePeriod = atLeast(config.intValue("keySamplePeriod", 16), 1,
        "entropy.keySamplePeriod");
    if (Integer.bitCount(keySamplePeriod) != 1) {
      throw new IllegalArgumentException("entropy.keySamplePeriod must be a power of two, was "
          + keySamplePeriod);
    }
    this.keys = new KeySampleBuffer(keySamplePeriod);
    this.previousReads = new long[shards.shardCount()];
    this.previousWrites = new long[shards.shardCount()];
  }

  private static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  @Override
  public void start() {
    synchronized (this) {
      countersNow(previousReads, previousWrites); // the first window starts now
    }
    tasks = new PeriodicTasks("entropy", context.scheduler());
    tasks.every(Duration.ofMillis(Math.max(1, interval.toMillis() / 10)), "key drain",
        this::drainKeys);
    tasks.every(interval, "sample", this::sampleNow);
  }

  /** Stops sampling; a sample already running finishes. */
  @Override
  public void close() {
    if (tasks != null) {
      tasks.close();
    }
  }

  // ------------------------------------------------------------------ hot path

  @Override
  public void onGet(String key, int shard, boolean hit) {
    offer(key);
  }

  @Override
  public void onPut(String key, int shard, int valueBytes, PutOptions options) {
    offer(key);
  }

  private void offer(String key) {
    keys.offer(key); // a dropped offer only thins the sample, by design
  }

  // ------------------------------------------------------------------ sampling

  private synchronized void drainKeys() {
    keys.drainTo(key -> {
      keySamples++;
      long[] count = keyCounts.get(key);
      if (count != null) {
        count[0]++;
      } else if (keyCounts.size() < maxSampledKeys) {
        keyCounts.put(key, new long[] {1});
      } else {
        unsampledKeyAccesses++;
      }
    });
  }

  private void countersNow(long[] reads, long[] writes) {
    for (int i = 0; i < reads.length; i++) {
      ShardMetrics m = shards.metrics(i);
      reads[i] = m.reads();
      writes[i] = m.writes();
    }
  }

  @Override
  public synchronized EntropySample sampleNow() {
    drainKeys();
    int n = shards.shardCount();
    long[] entries = new long[n];
    long[] bytes = new long[n];
    long[] reads = new long[n];
    long[] writes = new long[n];
    long[] load = new long[n];
    long[] readsNow = new long[n];
    long[] writesNow = new long[n];
    countersNow(readsNow, writesNow);
    for (int i = 0; i < n; i++) {
      ShardMetrics m = shards.metrics(i);
      entries[i] = m.entries();
      bytes[i] = m.bytes();
      reads[i] = readsNow[i] - previousReads[i];
      writes[i] = writesNow[i] - previousWrites[i];
      load[i] = reads[i] + writes[i];
    }
    System.arraycopy(readsNow, 0, previousReads, 0, n);
    System.arraycopy(writesNow, 0, previousWrites, 0, n);
    long[] perKey = keyCounts.values().stream().mapToLong(c -> c[0]).toArray();
    int sampledKeys = perKey.length;
    keyCounts.clear();

    double loadEntropy = Entropy.normalized(load);
    double trend = Entropy.slope(trendValues(loadEntropy));
    EntropySample sample = new EntropySample(System.currentTimeMillis(),
        Entropy.normalized(entries), Entropy.normalized(bytes), Entropy.normalized(reads),
        Entropy.normalized(writes), loadEntropy, Entropy.normalized(perKey), sampledKeys, trend,
        EntropyState.of(loadEntropy, trend, threshold));
    history.addLast(sample);
    while (history.size() > historySize) {
      history.removeFirst();
    }
    demon(loadEntropy);
    return sample;
  }

  /** The load entropies of the last trendWindow - 1 samples, then {@code current}. */
  private double[] trendValues(double current) {
    int fromHistory = Math.min(history.size(), trendWindow - 1);
    double[] values = new double[fromHistory + 1];
    int i = 0;
    int skip = history.size() - fromHistory;
    for (EntropySample s : history) {
      if (skip-- > 0) {
        continue;
      }
      values[i++] = s.load();
    }
    values[i] = current;
    return values;
  }

  private void demon(double load) {
    if (awaitingAfter) {
      awaitingAfter = false;
      lastAfter = load;
      LOG.log(Level.INFO, String.format(Locale.ROOT,
          "Maxwell's demon: load entropy %.3f after the rebalance (%.3f before)", load, lastBefore));
    }
    lowStreak = load < threshold ? lowStreak + 1 : 0;
    if (cooldownLeft > 0) {
      cooldownLeft--;
      return;
    }
    if (lowStreak < demonSamples) {
      return;
    }
    triggers++;
    lowStreak = 0;
    cooldownLeft = cooldown;
    String reason = String.format(Locale.ROOT, "load entropy %.3f below %.3f for %d samples",
        load, threshold, demonSamples);
    Optional<Rebalancer> rebalancer = context.capability(Rebalancer.class);
    if (rebalancer.isEmpty()) {
      LOG.log(Level.WARNING, "Maxwell's demon: " + reason + "; no rebalancer is loaded, so it only reports");
      return;
    }
    Rebalancer.RebalanceReport report = rebalancer.get().rebalance(reason);
    rebalances++;
    lastBefore = load;
    lastMoved = report.moved();
    awaitingAfter = true;
    LOG.log(Level.INFO, "Maxwell's demon: " + reason + "; the rebalancer moved " + report.moved());
  }

  // ------------------------------------------------------------------ reporting

  @Override
  public synchronized Optional<EntropySample> latest() {
    return Optional.ofNullable(history.peekLast());
  }

  @Override
  public synchronized List<EntropySample> history() {
    return List.copyOf(history);
  }

  @Override
  public synchronized DemonReport demon() {
    return new DemonReport(triggers, rebalances, lastBefore, lastAfter, lastMoved,
        context.capability(Rebalancer.class).isPresent());
  }

  @Override
  public String reportJson() {
    Optional<EntropySample> latest = latest();
    DemonReport d = demon();
    StringBuilder json = new StringBuilder("{\"samples\":").append(history().size());
    latest.ifPresent(s -> json.append(",\"latest\":{")
        .append("\"epochMillis\":").append(s.epochMillis())
        .append(",\"entries\":").append(number(s.entries()))
        .append(",\"bytes\":").append(number(s.bytes()))
        .append(",\"reads\":").append(number(s.reads()))
        .append(",\"writes\":").append(number(s.writes()))
        .append(",\"load\":").append(number(s.load()))
        .append(",\"keyAccess\":").append(number(s.keyAccess()))
        .append(",\"sampledKeys\":").append(s.sampledKeys())
        .append(",\"trend\":").append(number(s.trend()))
        .append(",\"state\":\"").append(s.state()).append("\"}"));
    json.append(",\"demon\":{\"triggers\":").append(d.triggers())
        .append(",\"rebalances\":").append(d.rebalances())
        .append(",\"lastBefore\":").append(number(d.lastBefore()))
        .append(",\"lastAfter\":").append(number(d.lastAfter()))
        .append(",\"lastMoved\":").append(d.lastMoved())
        .append(",\"rebalancerPresent\":").append(d.rebalancerPresent()).append("}}");
    return json.toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.6f", v);
  }

  @Override
  public Map<String, Number> metrics() {
    Map<String, Number> m = new LinkedHashMap<>();
    latest().ifPresent(s -> {
      m.put("loadEntropy", s.load());
      m.put("entriesEntropy", s.entries());
      m.put("keyAccessEntropy", s.keyAccess());
      m.put("trend", s.trend());
    });
    DemonReport d = demon();
    m.put("samples", history().size());
    m.put("demonTriggers", d.triggers());
    m.put("demonRebalances", d.rebalances());
    synchronized (this) {
      m.put("keySamples", keySamples);
      m.put("unsampledKeyAccesses", unsampledKeyAccesses);
    }
    return m;
  }
}
