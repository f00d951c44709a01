package io.warpengine.bench.cli;

import io.warpengine.bench.quantum.ObservationCost;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code warp quantum-observe}: one {@code quantumGet} against six {@code get}s. */
@Command(name = "quantum-observe", sortOptions = false, showDefaultValues = true,
    description = "Time quantumGet of a key and 5 partners against 6 separate gets, in memory"
        + " and beyond the event horizon.")
final class QuantumObserveCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--groups", description = "Groups of six keys stored.")
  private int groups = ObservationCost.standard().groups();

  @Option(names = "--per-round", description = "Groups read per round, each way.")
  private int perRound = ObservationCost.standard().groupsPerRound();

  @Option(names = "--rounds", description = "Measured rounds each way (after one warm-up).")
  private int rounds = ObservationCost.standard().rounds();

  @Option(names = "--seed", description = "Seed of the group sequence.")
  private long seed = ObservationCost.standard().seed();

  @Override
  public Integer call() throws IOException {
    if (groups < 1 || perRound < 1 || rounds < 1) {
      throw new ParameterException(spec.commandLine(),
          "--groups, --per-round and --rounds must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%,d groups of 6 keys (100-byte values), %,d groups per round,"
        + " %d rounds each way, alternating, seed %d%n", groups, perRound, rounds, seed);
    out.printf(Locale.ROOT, "%-55s %16s %14s %22s%n", "engine", "quantumGet ns", "6 x get ns",
        "6 gets / quantumGet");
    for (ObservationCost.Result r : new ObservationCost(groups, perRound, rounds, seed).run()) {
      out.printf(Locale.ROOT, "%-55s %,16.0f %,14.0f %21.2fx%n", r.engine(),
          r.quantumGetNanos(), r.sixGetsNanos(), r.speedup());
      out.flush();
    }
    out.println("targets: in memory quantumGet costs <= 1.2x six gets (a ratio >= 0.83x above);"
        + " beyond the horizon it is >= 2x faster");
    return 0;
  }
}
