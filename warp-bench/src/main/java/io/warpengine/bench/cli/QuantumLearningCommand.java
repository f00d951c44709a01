package io.warpengine.bench.cli;

import io.warpengine.bench.quantum.LearningQuality;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code warp quantum-learning}: how well entanglement learns ground-truth key groups. */
@Command(name = "quantum-learning", sortOptions = false, showDefaultValues = true,
    description = "Measure the precision and recall of learned entanglement on a seeded workload.")
final class QuantumLearningCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--seed", description = "Seed of the session generator.")
  private long seed = 1;

  @Option(names = "--sessions", description = "Sessions per caller.")
  private int sessions = LearningQuality.standard(1).sessionsPerThread();

  @Override
  public Integer call() throws InterruptedException {
    if (sessions < 1) {
      throw new ParameterException(spec.commandLine(),
          "--sessions must be at least 1, was " + sessions);
    }
    LearningQuality base = LearningQuality.standard(seed);
    LearningQuality workload = new LearningQuality(base.seed(), base.groups(), base.groupSize(),
        sessions, base.threads(), base.noise(), base.noiseKeys());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "Workload: %d groups of %d keys, %d callers x %d sessions, %.0f%% noise"
            + " reads from %,d unrelated keys, seed %d%n", workload.groups(), workload.groupSize(),
        workload.threads(), workload.sessionsPerThread(), 100 * workload.noise(),
        workload.noiseKeys(), seed);
    long start = System.nanoTime();
    LearningQuality.Result r = workload.run();
    out.printf(Locale.ROOT, "Learned partners (strength >= 0.1) against the groups, in %.1f s:%n",
        (System.nanoTime() - start) / 1e9);
    out.printf(Locale.ROOT, "  true positives %,d, false positives %,d, false negatives %,d%n",
        r.truePositives(), r.falsePositives(), r.falseNegatives());
    out.printf(Locale.ROOT, "  precision %.3f (target >= 0.9), recall %.3f (target >= 0.8)%n",
        r.precision(), r.recall());
    out.printf(Locale.ROOT, "  the learner was handed %,d of the %,d reads (%.1f %%)%n",
        r.sampledReads(), r.reads(), 100.0 * r.sampledReads() / r.reads());
    return 0;
  }
}
