package io.warpengine.physics.gravity.internal;

import io.warpengine.api.PutOptions;
import io.warpengine.physics.gravity.Gravity;
import io.warpengine.spi.Journal;
import io.warpengine.spi.KeyMover;
import io.warpengine.spi.KeySampleBuffer;
import io.warpengine.spi.PeriodicTasks;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ShardRouter;
import java.lang.System.Logger.Level;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gravity: the router, the mass tracker, the wormholes and the rebalancer.
 *
 * <h2>Hot path</h2>
 * The engine routes every operation through {@link GravityRouter#route} (no lock, no write).
 * The hooks count the operation in a striped adder and offer the key to a lossy sample buffer:
 * reads to one, writes to one per (priority, size class), so a sample's weight is known without
 * storing it. Nothing else happens on the caller's thread.
 *
 * <h2>Background</h2>
 * Every {@code gravity.drainInterval} (10 ms) a drain on the plugin scheduler moves the samples
 * into the {@link MassTracker} (each centre's mass and each shard's total) and into the strength
 * of the centre's wormhole; draining often keeps the lossy buffers from dropping much. Every
 * {@code gravity.interval} a tick drains too, decays all of them (half-life {@code gravity.halfLife}), closes weak
 * wormholes whose centre fits back home, and rebalances when the coefficient of variation of
 * shard mass exceeds {@code gravity.threshold}. Ticks, moves and rebalances run under one lock.
 *
 * <h2>Moves and wormholes</h2>
 * A centre moves through the engine's {@link KeyMover}: the plugin builds the next
 * {@link WormholeTable} first, and publishes it inside the move, with writers held and readers
 * retrying, so keys and route change in one step. The wormholes (centre, shard,
 * strength) are then saved as journal metadata (one record per move or rebalance) and recovered
 * at start; the engine re-homes the recovered keys after that, so a restart routes the same
 * way. A crash between a move and its save loses only the wormhole: the centre's keys come back
 * home, none is lost.
 */
final class GravityPlugin implements PhysicsPlugin, Gravity {

  private static final System.Logger LOG = System.getLogger(GravityPlugin.class.getName());

  /** The original's priority weights: critical 5, high 3, normal 1, low 0.5, background 0.1. */
  static final double[] PRIORITY_WEIGHT = {5, 3, 1, 0.5, 0.1};
  /** Size classes of a written value: under 1 KiB, 16 KiB, 256 KiB, and larger; their weights. */
  static final double[] SIZE_WEIGHT = {1, 2, 4, 8};
  private static final int FORMAT = 1;

  private final PluginContext context;
  private final GravityRouter router;
  private final MassTracker mass;
  private final KeySampleBuffer reads = new KeySampleBuffer();
  private final KeySampleBuffer[] writes;
  private final LongAdder routed = new LongAdder();
  private final LongAdder droppedSamples = new LongAdder();
  private final Duration interval;
  private final Duration drainInterval;
  private final double decayPerTick;
  private final double threshold;
  private final boolean autoRebalance;
  private final double minMass;
  private final int maxMoves;
  private final double closeBelow;
  private final double closeTolerance;
  private final int maxWormholeBytes;

  /** Guarded by {@code this}: the wormholes in insertion order, and what they cost saved. */
  private final Map<String, Wormhole> wormholes = new LinkedHashMap<>();
  private int savedBytes = 12;
  private long centresMoved;
  private long keysMoved;
  private long rebalances;
  private long wormholesClosed;
  private volatile KeyMover mover;
  /** The tick and the drain; null until start. */
  private PeriodicTasks tasks;

  /** An open wormhole: where its centre goes, and how much it is used (decayed). */
  private static final class Wormhole {
    final int shard;
    double strength;

    Wormhole(int shard, double strength) {
      this.shard = shard;
      this.strength = strength;
    }
  }

  GravityPlugin(PluginContext context) {
    this.context = context;
    PluginConfig config = context.config();
    int shards = context.shards().shardCount();
    this.router = new GravityRouter(CentreRules.parse(config.string("rules", "")), shards);
    this.mass = new MassTracker(shards, config.intValue("sketchWidth", 1 << 14),
        config.intValue("heavyHitters", 2048));
    this.writes = new KeySampleBuffer[PRIORITY_WEIGHT.length * SIZE_WEIGHT.length];
    for (int i = 0; i < writes.length; i++) {
      writes[i] = new KeySampleBuffer();
    }
    this.interval = config.interval("interval", Duration.ofSeconds(1));
    this.drainInterval = config.interval("drainInterval", Duration.ofMillis(10));
    Duration halfLife = config.interval("halfLife", Duration.ofSeconds(30));
    this.decayPerTick = Math.pow(0.5, (double) interval.toMillis() / halfLife.toMillis());
    this.threshold = positive(config.doubleValue("threshold", 0.3), "gravity.threshold");
    this.autoRebalance = config.booleanValue("autoRebalance", true);
    this.minMass = config.doubleValue("minMass", 1000);
    this.maxMoves = (int) positive(config.intValue("maxMoves", 256), "gravity.maxMoves");
    this.closeBelow = config.doubleValue("closeBelow", 1.0);
    this.closeTolerance = config.doubleValue("closeTolerance", 0.1);
    this.maxWormholeBytes = config.intValue("maxWormholeBytes", Journal.MAX_METADATA_BYTES);
    if (maxWormholeBytes < 12 || maxWormholeBytes > Journal.MAX_METADATA_BYTES) {
      throw new IllegalArgumentException("gravity.maxWormholeBytes must be in [12, "
          + Journal.MAX_METADATA_BYTES + "], was " + maxWormholeBytes);
    }
  }

  private static double positive(double value, String name) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  @Override
  public void start() {
    this.mover = context.keyMover().orElseThrow(() -> new IllegalStateException(
        "the engine offers gravity no key mover, so it cannot route"));
    context.recoveredMetadata().ifPresent(this::restore);
    tasks = new PeriodicTasks("gravity", context.scheduler());
    tasks.every(interval, "tick", this::tick);
    tasks.every(drainInterval, "drain", this::drainNow);
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    if (type == ShardRouter.class) {
      return Optional.of(type.cast(router));
    }
    return PhysicsPlugin.super.capability(type);
  }

  // ------------------------------------------------------------------ hot path

  @Override
  public void onGet(String key, int shard, boolean hit) {
    routed.increment();
    offer(reads, key);
  }

  @Override
  public void onPut(String key, int shard, int valueBytes, PutOptions options) {
    routed.increment();
    int size = valueBytes < 1 << 10 ? 0 : valueBytes < 1 << 14 ? 1 : valueBytes < 1 << 18 ? 2 : 3;
    offer(writes[options.priority().ordinal() * SIZE_WEIGHT.length + size], key);
  }

  @Override
  public void onDelete(String key, int shard) {
    routed.increment();
  }

  private void offer(KeySampleBuffer buffer, String key) {
    if (!buffer.offer(key)) {
      droppedSamples.increment();
    }
  }

  // ------------------------------------------------------------------ background

  /** Drains, decays, closes weak wormholes and rebalances if needed. */
  synchronized void tick() {
    drain();
    mass.decay(decayPerTick);
    for (Wormhole w : wormholes.values()) {
      w.strength *= decayPerTick;
    }
    boolean changed = closeWeakWormholes();
    double[] m = mass.shardMass();
    double variation = MassTracker.variation(m);
    if (autoRebalance && sum(m) >= minMass && variation > threshold) {
      RebalanceReport report = balance();
      if (report.moved() > 0) {
        changed = true;
        LOG.log(Level.INFO, String.format(Locale.ROOT, "gravity rebalanced: shard mass variation"
            + " %.3f > %.3f; moved %d centres, variation now %.3f", variation, threshold,
            report.moved(), report.imbalanceAfter()));
      }
    }
    if (changed) {
      save();
    }
  }

  private synchronized void drainNow() {
    drain();
  }

  /** Moves the sampled accesses into the mass tracker and the wormholes' strength. */
  private void drain() {
    reads.drainTo(key -> weigh(key, 1));
    for (int i = 0; i < writes.length; i++) {
      double weight = PRIORITY_WEIGHT[i / SIZE_WEIGHT.length] * SIZE_WEIGHT[i % SIZE_WEIGHT.length];
      writes[i].drainTo(key -> weigh(key, weight));
    }
  }

  private void weigh(String key, double weight) {
    String centre = router.rules().centreOf(key);
    mass.record(centre, router.routeCentre(centre), weight);
    Wormhole w = wormholes.get(centre);
    if (w != null) {
      w.strength += weight;
    }
  }

  /** Closes wormholes weaker than {@code closeBelow} whose centre fits back home. */
  private boolean closeWeakWormholes() {
    double[] m = mass.shardMass();
    double ceiling = sum(m) / m.length * (1 + closeTolerance);
    boolean closed = false;
    for (String centre : List.copyOf(wormholes.keySet())) {
      Wormhole w = wormholes.get(centre);
      int home = router.homeOf(centre);
      double weight = mass.massOf(centre);
      if (w.strength < closeBelow && m[home] + weight <= ceiling) {
        relocate(centre, w.shard, home);
        m[home] += weight;
        m[w.shard] -= weight;
        wormholesClosed++;
        closed = true;
      }
    }
    return closed;
  }

  // ------------------------------------------------------------------ moves

  @Override
  public long moveCentre(String centre, int shard) {
    if (centre == null || centre.isEmpty()) {
      throw new IllegalArgumentException("a centre must not be null or empty");
    }
    if (shard < 0 || shard >= router.shardCount()) {
      throw new IllegalArgumentException("shard must be in [0, " + router.shardCount() + "), was "
          + shard);
    }
    synchronized (this) {
      checkStarted();
      drain();
      int from = router.routeCentre(centre);
      if (from == shard) {
        return 0;
      }
      long moved = relocate(centre, from, shard);
      save();
      return moved;
    }
  }

  /**
   * Moves {@code centre}'s keys from {@code from} to {@code to} and its route with them: opens,
   * moves or closes its wormhole inside the engine's move. Under this plugin's lock.
   */
  private long relocate(String centre, int from, int to) {
    boolean home = to == router.homeOf(centre);
    Wormhole old = wormholes.get(centre);
    int grows = old == null && !home ? 16 + centre.getBytes(StandardCharsets.UTF_8).length : 0;
    if (savedBytes + grows > maxWormholeBytes) {
      throw new IllegalStateException("gravity cannot open a wormhole for '" + centre + "': the"
          + " saved table would exceed gravity.maxWormholeBytes (" + maxWormholeBytes + " bytes)");
    }
    double centreMass = mass.massOf(centre);
    CentreRules rules = router.rules();
    // The new table is built before the move, so the engine's locks are held only to publish it.
    Map<String, Integer> routes = routes();
    if (home) {
      routes.remove(centre);
    } else {
      routes.put(centre, to);
    }
    WormholeTable next = WormholeTable.of(routes);
    long moved = mover.move(key -> rules.hasCentre(key, centre), from, to,
        () -> router.publish(next));
    if (home) {
      wormholes.remove(centre);
    } else {
      wormholes.put(centre, new Wormhole(to, old == null ? centreMass : old.strength));
    }
    savedBytes += home && old != null ? -(16 + centre.getBytes(StandardCharsets.UTF_8).length) : grows;
    mass.moved(centreMass, from, to);
    centresMoved++;
    keysMoved += moved;
    return moved;
  }

  private Map<String, Integer> routes() {
    Map<String, Integer> routes = new LinkedHashMap<>(wormholes.size() * 2);
    wormholes.forEach((c, w) -> routes.put(c, w.shard));
    return routes;
  }

  @Override
  public synchronized RebalanceReport rebalance(String reason) {
    checkStarted();
    drain();
    RebalanceReport report = balance();
    if (report.moved() > 0) {
      save();
    }
    LOG.log(Level.INFO, String.format(Locale.ROOT, "gravity rebalance (%s): moved %d centres,"
        + " variation %.3f -> %.3f", reason, report.moved(), report.imbalanceBefore(),
        report.imbalanceAfter()));
    return report;
  }

  /**
   * Greedy: while moves are left, take the heaviest shard that can still improve and move to
   * the lightest shard the listed centre of the heaviest that best closes the gap (its mass
   * nearest half of it, and under all of it). Imbalance is the coefficient of variation.
   */
  private RebalanceReport balance() {
    double[] m = mass.shardMass();
    double before = MassTracker.variation(m);
    List<List<Map.Entry<String, Double>>> byShard = new ArrayList<>();
    for (int i = 0; i < m.length; i++) {
      byShard.add(new ArrayList<>());
    }
    for (Map.Entry<String, Double> e : mass.heavyHitters().entrySet()) {
      byShard.get(router.routeCentre(e.getKey())).add(e);
    }
    Set<Integer> stuck = new HashSet<>();
    long moves = 0;
    while (moves < maxMoves) {
      int heavy = -1;
      int light = 0;
      for (int i = 0; i < m.length; i++) {
        if (!stuck.contains(i) && (heavy < 0 || m[i] > m[heavy])) {
          heavy = i;
        }
        if (m[i] < m[light]) {
          light = i;
        }
      }
      if (heavy < 0 || heavy == light) {
        break;
      }
      double gap = m[heavy] - m[light];
      Map.Entry<String, Double> best = null;
      for (Map.Entry<String, Double> e : byShard.get(heavy)) {
        double w = e.getValue();
        if (w > 0 && w < gap && (best == null || Math.abs(gap / 2 - w) < Math.abs(gap / 2 - best.getValue()))) {
          best = e;
        }
      }
      if (best == null) {
        stuck.add(heavy);
        continue;
      }
      try {
        relocate(best.getKey(), heavy, light);
      } catch (IllegalStateException full) {
        LOG.log(Level.WARNING, "gravity rebalance stopped: " + full.getMessage());
        break;
      }
      byShard.get(heavy).remove(best);
      byShard.get(light).add(best);
      m[heavy] -= best.getValue();
      m[light] += best.getValue();
      moves++;
    }
    rebalances++;
    return new RebalanceReport(moves, before, MassTracker.variation(m));
  }

  private void checkStarted() {
    if (mover == null) {
      throw new IllegalStateException("gravity is not started");
    }
  }

  // ------------------------------------------------------------------ persistence

  /** Saves the wormholes as this plugin's journal metadata (nothing in memory). */
  private void save() {
    ByteBuffer out = ByteBuffer.allocate(savedBytes);
    out.putInt(FORMAT).putInt(router.shardCount()).putInt(wormholes.size());
    wormholes.forEach((centre, w) -> {
      byte[] c = centre.getBytes(StandardCharsets.UTF_8);
      out.putInt(c.length).put(c).putInt(w.shard).putDouble(w.strength);
    });
    context.saveMetadata(out.array());
  }

  /**
   * Loads the saved wormholes; the engine re-homes the recovered keys after start. Every length
   * is checked before it is used and every shard against the shard count, so a damaged record
   * fails the start by name rather than publishing a route to no shard.
   */
  private synchronized void restore(byte[] saved) {
    try {
      ByteBuffer in = ByteBuffer.wrap(saved);
      int format = in.getInt();
      int shards = in.getInt();
      if (format != FORMAT) {
        throw new IllegalStateException("gravity cannot read its saved wormholes: format " + format
            + ", expected " + FORMAT);
      }
      if (shards != router.shardCount()) {
        LOG.log(Level.WARNING, "gravity drops its " + in.getInt() + " saved wormholes: they were"
            + " for " + shards + " shards, the engine has " + router.shardCount());
        return;
      }
      int count = in.getInt();
      if (count < 0 || count > in.remaining()) {
        throw new IllegalArgumentException("impossible wormhole count " + count);
      }
      for (int n = 0; n < count; n++) {
        int length = in.getInt();
        if (length < 1 || length > in.remaining()) {
          throw new IllegalArgumentException("impossible centre length " + length);
        }
        byte[] c = new byte[length];
        in.get(c);
        String centre = new String(c, StandardCharsets.UTF_8);
        int shard = in.getInt();
        if (shard < 0 || shard >= shards) {
          throw new IllegalArgumentException("centre '" + centre + "' goes to shard " + shard
              + ", outside [0, " + shards + ")");
        }
        wormholes.put(centre, new Wormhole(shard, in.getDouble()));
        savedBytes += 16 + c.length;
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the last wormhole");
      }
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      String what = e instanceof BufferUnderflowException ? "it ends early" : e.getMessage();
      throw new IllegalStateException("gravity cannot read its saved wormholes (" + what
          + "): the journal's metadata record of the gravity plugin is damaged", e);
    }
    router.publish(WormholeTable.of(routes()));
  }

  // ------------------------------------------------------------------ API and metrics

  @Override
  public String centreOf(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a key must not be null or empty");
    }
    return router.rules().centreOf(key);
  }

  @Override
  public int shardOfCentre(String centre) {
    if (centre == null || centre.isEmpty()) {
      throw new IllegalArgumentException("a centre must not be null or empty");
    }
    return router.routeCentre(centre);
  }

  @Override
  public synchronized Map<String, Integer> wormholes() {
    return Map.copyOf(routes());
  }

  @Override
  public synchronized double[] shardMass() {
    drain();
    return mass.shardMass();
  }

  @Override
  public synchronized Map<String, Number> metrics() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("routeLookups", routed.sum());
    m.put("openWormholes", wormholes.size());
    m.put("centresMoved", centresMoved);
    m.put("keysMoved", keysMoved);
    m.put("rebalances", rebalances);
    m.put("wormholesClosed", wormholesClosed);
    double[] shardMass = mass.shardMass();
    m.put("massVariation", MassTracker.variation(shardMass));
    m.put("droppedSamples", droppedSamples.sum());
    for (int i = 0; i < shardMass.length; i++) {
      m.put("mass." + i, shardMass[i]);
    }
    return m;
  }

  @Override
  public void close() {
    if (tasks != null) {
      tasks.close();
    }
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
