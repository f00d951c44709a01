package io.warpengine.bench.quantum;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.bench.workload.Workers;
import io.warpengine.physics.quantum.Entanglement;
import io.warpengine.physics.quantum.LinkSource;
import io.warpengine.physics.quantum.Partner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How well the quantum plugin learns which keys belong together.
 *
 * <p>The generator knows the truth: {@code groups} groups of {@code groupSize} keys
 * ({@code g17:k2}). Each of {@code threads} callers runs sessions one after another; a session
 * picks a group and reads all its keys in a random order, and before each of those reads, with
 * probability {@code noise}, reads a random key from a pool of unrelated keys. Afterwards, each
 * grouped key's learned partners with strength at least {@link Entanglement#DEFAULT_MIN_STRENGTH}
 * are compared with the rest of its group: a partner in the group is a true positive, one outside
 * a false positive, a group member missing a false negative.
 *
 * @param seed     fixes every random choice
 * @param noise    probability of an unrelated read before each session read
 */
public record LearningQuality(long seed, int groups, int groupSize, int sessionsPerThread,
                              int threads, double noise, int noiseKeys) {

  /**
   * The confusion counts and what follows from them, and how many of the engine's reads the
   * learner was handed ({@code sampledReads} of {@code reads}, from the plugin's and the engine's
   * counters).
   */
  public record Result(long truePositives, long falsePositives, long falseNegatives,
                       long sampledReads, long reads) {
    public double precision() {
      long predicted = truePositives + falsePositives;
      return predicted == 0 ? 0 : (double) truePositives / predicted;
    }

    public double recall() {
      long actual = truePositives + falseNegatives;
      return actual == 0 ? 0 : (double) truePositives / actual;
    }
  }

  /**
   * The default workload: 500 groups of 5, 4 callers of 200,000 sessions each (about 1,600
   * sessions per group, some 5 million reads), 30 % noise from 20,000 keys. The learner samples
   * the reads in bursts, at most {@code quantum.sampleShare} (2 %) of them and as its CPU budget
   * allows, so it needs millions of reads, not thousands, to see each group often enough; the
   * run reports what share it saw.
   */
  public static LearningQuality standard(long seed) {
    return new LearningQuality(seed, 500, 5, 200_000, 4, 0.3, 20_000);
  }

  public Result run() throws InterruptedException {
    WarpOptions options = WarpOptions.builder()
        .property("quantum.decayInterval", "PT1H").build(); // decay is not what is measured
    try (WarpEngine engine = Warp.open(options)) {
      byte[] value = {1};
      for (int g = 0; g < groups; g++) {
        for (int k = 0; k < groupSize; k++) {
          engine.put(key(g, k), value);
        }
      }
      for (int n = 0; n < noiseKeys; n++) {
        engine.put("noise:" + n, value);
      }
      Workers callers = new Workers("the learning-quality callers");
      for (int t = 0; t < threads; t++) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + t);
        callers.start("quantum-learning-caller-" + t, () -> runSessions(engine, rnd));
      }
      callers.join();
      Entanglement q = engine.plugin(Entanglement.class).orElseThrow(() ->
          new IllegalStateException("the quantum plugin (warp-physics-quantum) is not on the path"));
      q.learnNow();
      long sampled = engine.metrics().pluginMetrics().get("quantum").get("sampledReads").longValue();
      return score(q, sampled, engine.metrics().reads());
    }
  }

  private void runSessions(WarpEngine engine, SplittableRandom rnd) {
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < groupSize; k++) {
      order.add(k);
    }
    for (int s = 0; s < sessionsPerThread; s++) {
      int group = rnd.nextInt(groups);
      Collections.shuffle(order, new java.util.Random(rnd.nextLong()));
      for (int k : order) {
        if (rnd.nextDouble() < noise) {
          engine.get("noise:" + rnd.nextInt(noiseKeys));
        }
        engine.get(key(group, k));
      }
    }
  }

  private Result score(Entanglement q, long sampledReads, long reads) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int g = 0; g < groups; g++) {
      for (int k = 0; k < groupSize; k++) {
        Set<String> truth = new HashSet<>();
        for (int j = 0; j < groupSize; j++) {
          if (j != k) {
            truth.add(key(g, j));
          }
        }
        Set<String> found = new HashSet<>();
        for (Partner p : q.partners(key(g, k))) {
          if (p.source() == LinkSource.LEARNED && p.strength() >= Entanglement.DEFAULT_MIN_STRENGTH) {
            found.add(p.key());
          }
        }
        for (String f : found) {
          if (truth.contains(f)) {
            tp++;
          } else {
            fp++;
          }
        }
        fn += truth.stream().filter(t -> !found.contains(t)).count();
      }
    }
    return new Result(tp, fp, fn, sampledReads, reads);
  }

  private static String key(int group, int k) {
    return "g" + group + ":k" + k;
  }
}
