package io.warpengine.bench.cli;

import io.warpengine.bench.trace.PolicyMemory;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code warp horizon-memory}: the event horizon policy's heap cost per resident entry. */
@Command(name = "horizon-memory", sortOptions = false, showDefaultValues = true,
    description = "Measure the heap the event horizon's policy costs per resident entry.")
final class HorizonMemoryCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--entries", description = "Entries to hold (empty values).")
  private int entries = 1_000_000;

  @Override
  public Integer call() {
    if (entries < 1) {
      throw new ParameterException(spec.commandLine(), "--entries must be at least 1, was " + entries);
    }
    double[] perEntry = PolicyMemory.measure(entries);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "Heap per entry after full GCs, %,d entries with empty values:%n", entries);
    out.printf(Locale.ROOT, "  engine without the cache plugin  %7.1f bytes%n", perEntry[0]);
    out.printf(Locale.ROOT, "  engine with the cache plugin     %7.1f bytes%n", perEntry[1]);
    out.printf(Locale.ROOT, "  the policy's cost per entry      %7.1f bytes (target: at most 16)%n",
        perEntry[1] - perEntry[0]);
    return 0;
  }
}
