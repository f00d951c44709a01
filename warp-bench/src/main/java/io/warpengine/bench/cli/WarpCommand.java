package io.warpengine.bench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code warp} command-line tool, the launcher of the jlink image ({@code bin/warp}).
 *
 * <p>It is the one place in Warp that prints: library code logs through SLF4J (slf4j-simple is
 * on the tool's runtime, configured in {@code simplelogger.properties} to print one terse line
 * per event on standard error), and the subcommands write their reports to picocli's output
 * writer, which tests replace to read what was printed. Every figure a subcommand prints comes
 * from a counter or a clock.
 *
 * <p>A subcommand that fails with an I/O, argument or state exception, which is how Warp reports
 * bad input and surroundings (a data directory that is a file or in use by another engine, a
 * damaged log), prints one line naming the command and the exception's message, and exits with
 * 1; any other exception keeps its stack trace.
 *
 * <p>The JMH benchmarks are not a subcommand: JMH is not in the image, so they have their own
 * entry point on the class path, {@link io.warpengine.bench.jmh.BenchCommand} ({@code ./warp jmh}).
 */
@Command(name = "warp", description = "Warp, an embeddable sharded key-value store: tools.",
    subcommands = {DemoCommand.class, TraceCommand.class, HorizonMemoryCommand.class,
        QuantumLearningCommand.class, QuantumObserveCommand.class, CommandLine.HelpCommand.class},
    footer = "%nThe benchmarks run from a source checkout: ./warp jmh [--quick], ./warp bench"
        + " [--quick], ./warp ycsb, ./warp wal-bench")
public final class WarpCommand implements Runnable {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its subcommands, as {@link #main} runs it. */
  static CommandLine commandLine() {
    return new CommandLine(new WarpCommand()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(WarpCommand::reportFailure);
  }

  private static int reportFailure(Exception e, CommandLine command, ParseResult parsed)
      throws Exception {
    if (!(e instanceof UncheckedIOException || e instanceof IOException
        || e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
      throw e;
    }
    command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
    return 1;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Name a command, for example: warp demo");
  }
}
