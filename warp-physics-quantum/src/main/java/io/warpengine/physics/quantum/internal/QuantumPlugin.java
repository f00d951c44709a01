package io.warpengine.physics.quantum.internal;

import io.warpengine.physics.quantum.Entanglement;
import io.warpengine.physics.quantum.LinkSource;
import io.warpengine.physics.quantum.Observation;
import io.warpengine.physics.quantum.Partner;
import io.warpengine.spi.Journal;
import io.warpengine.spi.PeriodicTasks;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.RelationSource;
import io.warpengine.spi.ShardView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The quantum plugin: merges explicit, rule and learned links, and observes keys with their
 * partners.
 *
 * <h2>Learning, off the hot path</h2>
 * The read hook records the key in its thread's ring ({@link AccessRecorder}); the delete hook
 * queues the key. Every {@code quantum.learnInterval} (default 20 ms), and at once when a burst
 * of recorded reads ends, the learner, on the plugin scheduler, drains them: for each read it
 * reinforces the links between the key and the
 * keys the same thread read among its last {@code quantum.window} reads (default 4) within
 * {@code quantum.windowTicks} learner passes (default 5, about 100 ms), each time by
 * {@code quantum.learnRate} (default 0.05) towards 1. A pair's first co-read in a decay period
 * only passes a {@link PairDoorkeeper} (two bits; counted as {@code coReadsHeldAtDoor}; the
 * door also clears itself when an eighth full, counted as {@code doorResets}): chance co-reads
 * make no link at all, bar about 1 in 110 that find both their bits set, and a repeated pair's
 * links start at its second co-read and need a few more to reach the observation threshold of
 * 0.1. Every
 * {@code quantum.decayInterval} (default 10 s) learned strengths are multiplied by
 * {@code quantum.decayFactor} (default 0.5) and links below {@code quantum.floor} (default
 * 0.02) are dropped. Bounds: {@code quantum.topK} (default 16) learned partners per key and
 * {@code quantum.maxLearnedLinks} (default 1,000,000) in all. Reads are sampled in bursts that
 * the learner opens (see {@link AccessRecorder}): in each, every thread records up to
 * {@code quantum.sampleBurst} (default 1,024) consecutive reads, and a read outside a burst
 * costs one load of a flag. The co-read window does not reach across a burst's start.
 * The learner keeps its own cost under {@code quantum.learnerCpuShare} (default 0.05) of one
 * core by leaving passes between bursts while it is over, and the readers' cost by recording
 * at most {@code quantum.sampleShare} (default 0.02) of the engine's reads ({@link
 * LearnerBudget}); the metrics report the reads it learned from ({@code sampledReads}), the
 * bursts ({@code sampleBursts}), the gap in use ({@code sampleGapPasses}) and the share it
 * measured ({@code learnerCpuShare}). With {@code quantum.learn=false} no burst ever opens:
 * the plugin keeps explicit and rule links only, and a read costs its hook two loads (the
 * prefetches pending and the burst flag).
 *
 * <h2>Persistence</h2>
 * In a durable engine every change to the explicit links saves them all as one journal metadata
 * record, durable before {@code entangle}/{@code disentangle} returns (as a put would be) and
 * restored at start. Their encoded size is capped by {@code quantum.maxExplicitBytes} (default
 * and at most 1 MiB, the journal's record limit); a link beyond it is refused. Learned links
 * and rules are not saved: they are learned again, or configured.
 *
 * <h2>Prefetch</h2>
 * When a read has to bring a key back from beyond the event horizon ({@code onLoad}), its
 * {@code quantum.prefetch} (default 3, 0 turns it off) strongest partners of strength at least
 * {@code quantum.prefetchMinStrength} (default 0.5) that are beyond it too are brought inside
 * on the scheduler ({@link Prefetcher}), and counted: used if a read finds them inside, left
 * unused if a read has to load them again.
 *
 * <h2>Observation</h2>
 * {@link #quantumGet} reads the key and its partners through the engine's plugin view in one
 * {@code peekAll}: values beyond the event horizon are read from the log as one batch and stay
 * beyond it (an observation does not change what the cache keeps). The reads are counted in this plugin's metrics ({@code observations}, {@code partnersAsked},
 * {@code partnersFound}), not in the engine's read counters, and they are not fed back to the
 * learner (an observation would otherwise reinforce its own links).
 */
final class QuantumPlugin implements PhysicsPlugin, Entanglement, RelationSource {

  private final PluginContext context;
  private final ShardView shards;
  private final RuleSet rules;
  private final double ruleStrength;
  private final LinkGraph links;
  private final AccessRecorder recorder;
  private final ConcurrentLinkedQueue<String> deleted = new ConcurrentLinkedQueue<>();
  private final ReentrantLock learnLock = new ReentrantLock();
  /** Guarded by learnLock. */
  private final PairDoorkeeper doorkeeper = new PairDoorkeeper();
  private volatile long heldAtDoor;
  private volatile long doorResets;
  /** The learner's share of one core in its last budget window, and its sample, for the metrics. */
  private volatile double learnerShare;
  private volatile long sampledReads;
  private volatile long sampleBursts;
  private volatile int sampleGap;
  /** Orders changes to the explicit links with their saves; readers never take it. */
  private final ReentrantLock persistLock = new ReentrantLock();
  private final long maxExplicitBytes;
  private final AtomicBoolean learnPending = new AtomicBoolean();
  private final Prefetcher prefetcher;
  private final AtomicBoolean prefetchPending = new AtomicBoolean();
  private final ReentrantLock prefetchLock = new ReentrantLock();
  private final Duration learnInterval;
  private final Duration decayInterval;
  private final double learnRate;
  private final int windowTicks;
  private final double decayFactor;
  private final double floor;
  private final LongAdder observations = new LongAdder();
  private final LongAdder partnersAsked = new LongAdder();
  private final LongAdder partnersFound = new LongAdder();
  /** Learner state, guarded by learnLock. */
  private long tick;
  private final LearnerBudget budget;
  /** {@code quantum.learn}: false leaves the explicit and rule links alone, and records no read. */
  private final boolean learning;
  /** A learning pass, and a prefetch, as the scheduler runs them once: failures are logged. */
  private final Runnable learnTask = PeriodicTasks.logged("quantum", "learning pass",
      this::learnNow);
  private final Runnable prefetchTask = PeriodicTasks.logged("quantum", "prefetch",
      this::prefetchNow);
  /** Learning and decay; null until start. */
  private PeriodicTasks tasks;

  QuantumPlugin(PluginContext context) {
    this.context = context;
    this.shards = context.shards();
    PluginConfig config = context.config();
    String preset = config.string("preset", "");
    String presetRules = preset.isEmpty() ? "" : RuleSet.PRESETS.get(preset);
    if (presetRules == null) {
      throw new IllegalArgumentException("quantum.preset '" + preset + "' is unknown; known: "
          + RuleSet.PRESETS.keySet());
    }
    this.rules = RuleSet.parse(presetRules + ";" + config.string("rules", ""));
    this.ruleStrength = strength(config.doubleValue("ruleStrength", 0.9), "quantum.ruleStrength");
    this.learnRate = strength(config.doubleValue("learnRate", 0.05), "quantum.learnRate");
    this.decayFactor = strength(config.doubleValue("decayFactor", 0.5), "quantum.decayFactor");
    this.floor = strength(config.doubleValue("floor", 0.02), "quantum.floor");
    this.windowTicks = positive(config.intValue("windowTicks", 5), "quantum.windowTicks");
    this.learnInterval = config.interval("learnInterval", Duration.ofMillis(20));
    this.decayInterval = config.interval("decayInterval", Duration.ofSeconds(10));
    this.links = new LinkGraph(positive(config.intValue("topK", 16), "quantum.topK"),
        positive(config.longValue("maxLearnedLinks", 1_000_000), "quantum.maxLearnedLinks"));
    this.maxExplicitBytes = positive(config.longValue("maxExplicitBytes", Journal.MAX_METADATA_BYTES),
        "quantum.maxExplicitBytes");
    if (maxExplicitBytes > Journal.MAX_METADATA_BYTES) {
      throw new IllegalArgumentException("quantum.maxExplicitBytes must be at most "
          + Journal.MAX_METADATA_BYTES + " (the journal's metadata limit), was " + maxExplicitBytes);
    }
    int prefetch = notNegative(config.intValue("prefetch", 3), "quantum.prefetch");
    double prefetchMin = strength(config.doubleValue("prefetchMinStrength", 0.5),
        "quantum.prefetchMinStrength");
    this.prefetcher = new Prefetcher(shards, key -> prefetch == 0 ? List.of()
        : strongest(key, prefetch, prefetchMin).stream().map(Partner::key).toList());
    this.budget = new LearnerBudget(config.doubleValue("learnerCpuShare", 0.05),
        config.doubleValue("sampleShare", 0.02), System.nanoTime());
    this.recorder = new AccessRecorder(positive(config.intValue("window", 4), "quantum.window"),
        config.intValue("sampleBurst", 1_024));
    this.learning = config.booleanValue("learn", true);
    if (learning) {
      recorder.startBurst(); // the first reads are recorded before the learner's first pass
    }
  }

  private static double strength(double value, String name) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
    }
    return value;
  }

  private static <N extends Number> N positive(N value, String name) {
    if (value.longValue() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
    return value;
  }

  private static int notNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
    return value;
  }

  /** Restores the explicit links a durable engine saved, then starts learning and decay. */
  @Override
  public void start() {
    context.recoveredMetadata().ifPresent(links::restoreExplicit);
    tasks = new PeriodicTasks("quantum", context.scheduler());
    tasks.every(learnInterval, "learning pass", this::learnNow);
    tasks.every(decayInterval, "decay pass", this::decayNow);
  }

  /** Stops learning and decay; a pass already running finishes. */
  @Override
  public void close() {
    if (tasks != null) {
      tasks.close();
    }
  }

  // ------------------------------------------------------------------ hot path

  @Override
  public void onGet(String key, int shard, boolean hit) {
    if (hit) {
      prefetcher.read(key);
    }
    if (recorder.recording() && recorder.record(key)) {
      runOnce(learnPending, learnTask); // the burst is over: learn now, not at the next tick
    }
  }

  @Override
  public void onLoad(String key, int shard) {
    if (prefetcher.loaded(key)) {
      runOnce(prefetchPending, prefetchTask);
    }
  }

  /**
   * Queues {@code task} on the scheduler unless it is queued already ({@code pending}, which the
   * task clears when it starts): once per burst of requests, not once per hook.
   */
  private void runOnce(AtomicBoolean pending, Runnable task) {
    if (!pending.get() && pending.compareAndSet(false, true)) {
      context.scheduler().execute(task);
    }
  }

  /**
   * Prefetches the partners of the keys reads loaded from disk since the last time; once it
   * returns, every load before the call has been followed up (it waits for a drain already
   * running on the scheduler).
   */
  void prefetchNow() {
    prefetchPending.set(false);
    prefetchLock.lock();
    try {
      prefetcher.drain();
    } finally {
      prefetchLock.unlock();
    }
  }

  @Override
  public void onDelete(String key, int shard) {
    deleted.add(key);
    prefetcher.deleted(key);
  }

  // ------------------------------------------------------------------ learning

  @Override
  public void learnNow() {
    learnPending.set(false);
    learnLock.lock();
    long start = System.nanoTime();
    try {
      tick++;
      recorder.drain(this::learn);
      heldAtDoor = doorkeeper.held();
      doorResets = doorkeeper.resets();
      for (String key; (key = deleted.poll()) != null; ) {
        forget(key);
      }
      links.publish();
    } finally {
      long end = System.nanoTime();
      if (recorder.recording()) {
        budget.passed(start, end);
      } else if (learning && budget.passedIdle(start, end, engineReads(), recorder.sampled())) {
        recorder.startBurst();
      }
      learnerShare = budget.lastShare();
      sampledReads = recorder.sampled();
      sampleBursts = recorder.bursts();
      sampleGap = budget.gap();
      learnLock.unlock();
    }
  }

  /** The reads the engine has served, over all shards. */
  private long engineReads() {
    long reads = 0;
    for (int shard = 0; shard < shards.shardCount(); shard++) {
      reads += shards.metrics(shard).reads();
    }
    return reads;
  }

  private void learn(AccessRecorder.Ring ring, String key, boolean burstBegins) {
    if (burstBegins) {
      Arrays.fill(ring.recent, null); // the thread's previous recorded read was not its last one
    }
    for (int i = 0; i < ring.recent.length; i++) {
      String other = ring.recent[i];
      if (other != null && !other.equals(key) && tick - ring.recentTicks[i] <= windowTicks
          && doorkeeper.seenBefore(key, other)) {
        links.reinforce(key, other, learnRate);
      }
    }
    ring.recent[ring.recentNext] = key;
    ring.recentTicks[ring.recentNext] = tick;
    ring.recentNext = (ring.recentNext + 1) % ring.recent.length;
  }

  void decayNow() {
    learnLock.lock();
    try {
      doorkeeper.clear();
      links.decay(decayFactor, floor);
      links.publish();
    } finally {
      learnLock.unlock();
    }
  }

  // ------------------------------------------------------------------ the typed face

  @Override
  public void entangle(String a, String b, double strength) {
    checkKey(a);
    checkKey(b);
    if (a.equals(b)) {
      throw new IllegalArgumentException("a key cannot be entangled with itself: '" + a + "'");
    }
    strength(strength, "strength");
    persistLock.lock();
    try {
      long bytes = links.encodedBytesWith(a, b);
      if (bytes > maxExplicitBytes) {
        throw new IllegalArgumentException("the explicit links would take " + bytes
            + " bytes, over quantum.maxExplicitBytes = " + maxExplicitBytes
            + ": the link '" + a + "'–'" + b + "' was not made");
      }
      links.entangle(a, b, strength);
      save();
    } finally {
      persistLock.unlock();
    }
  }

  @Override
  public boolean disentangle(String a, String b) {
    checkKey(a);
    checkKey(b);
    persistLock.lock();
    try {
      boolean had = links.disentangle(a, b);
      if (had) {
        save();
      }
      return had;
    } finally {
      persistLock.unlock();
    }
  }

  private void forget(String key) {
    persistLock.lock();
    try {
      if (links.forget(key)) {
        save();
      }
    } finally {
      persistLock.unlock();
    }
  }

  /**
   * Saves every explicit link as one metadata record (a durable engine only): one record per
   * change, so a crash never leaves half a link, and a restart restores the last saved set.
   * Returns as durable as the engine's sync policy. Under persistLock, so saves keep the order
   * of the changes; the link lock is not held during the I/O, so readers never wait for it.
   */
  private void save() {
    context.saveMetadata(links.encodeExplicit());
  }

  @Override
  public List<Partner> partners(String key) {
    checkKey(key);
    return LinkGraph.strongestFirst(allPartners(key));
  }

  private Map<String, Partner> allPartners(String key) {
    Map<String, Partner> out = new HashMap<>();
    links.partnersOf(key, out);
    for (String partner : rules.partnersOf(key)) {
      LinkGraph.merge(out, new Partner(partner, ruleStrength, LinkSource.RULE));
    }
    return out;
  }

  @Override
  public Observation quantumGet(String key, int maxPartners, double minStrength) {
    checkKey(key);
    List<Partner> chosen = strongest(key, notNegative(maxPartners, "maxPartners"), minStrength);
    List<String> wanted = new ArrayList<>(chosen.size() + 1);
    wanted.add(key);
    chosen.forEach(p -> wanted.add(p.key()));
    Map<String, byte[]> found = new LinkedHashMap<>(shards.peekAll(wanted)); // strongest first
    byte[] value = found.remove(key);
    observations.increment();
    partnersAsked.add(chosen.size());
    partnersFound.add(found.size());
    return new Observation(key, value, found, chosen.size());
  }

  private List<Partner> strongest(String key, int max, double minStrength) {
    List<Partner> out = new ArrayList<>();
    for (Partner p : LinkGraph.strongestFirst(allPartners(key))) {
      if (out.size() == max || p.strength() < minStrength) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  @Override
  public List<Relation> related(String key, int max, double minStrength) {
    checkKey(key);
    return strongest(key, notNegative(max, "max"), minStrength).stream()
        .map(p -> new Relation(p.key(), p.strength())).toList();
  }

  /** The engine's own key checks, with its messages. */
  private void checkKey(String key) {
    shards.shardOf(key);
  }

  @Override
  public Map<String, Number> metrics() {
    Map<String, Number> m = new LinkedHashMap<>(links.metrics());
    m.put("ruleGroups", rules.groupCount());
    long asked = partnersAsked.sum();
    m.put("observations", observations.sum());
    m.put("partnersAsked", asked);
    m.put("partnersFound", partnersFound.sum());
    m.put("efficiency", asked == 0 ? 1.0 : (double) partnersFound.sum() / asked);
    m.put("droppedReads", recorder.dropped());
    m.put("coReadsHeldAtDoor", heldAtDoor);
    m.put("doorResets", doorResets);
    m.put("sampledReads", sampledReads);
    m.put("sampleBursts", sampleBursts);
    m.put("sampleGapPasses", sampleGap);
    m.put("learnerCpuShare", learnerShare);
    m.putAll(prefetcher.metrics());
    return m;
  }
}
