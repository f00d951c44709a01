package io.warpengine.spi;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plugin's periodic work on the engine's {@link PluginContext#scheduler()}, kept running and
 * stoppable. A {@code ScheduledExecutorService} cancels a periodic task for good, silently,
 * after one run throws; a task scheduled here logs the failure and runs again at its next time.
 * {@link #close} cancels every task, as a plugin's {@code close} must. Thread-safe.
 */
public final class PeriodicTasks implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(PeriodicTasks.class.getName());

  private final String owner;
  private final ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
  private boolean closed;

  /** Tasks of the plugin named {@code owner} (the name its failures are logged under). */
  public PeriodicTasks(String owner, ScheduledExecutorService scheduler) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * Runs {@code task} every {@code interval}, counted from the end of one run to the start of
   * the next, the first time one interval from now; failures are logged.
   *
   * @param what what the task does, for the log ("drain", "learning pass")
   * @throws IllegalArgumentException if {@code interval} is under a millisecond
   * @throws IllegalStateException after {@link #close}
   */
  public synchronized void every(Duration interval, String what, Runnable task) {
    long millis = interval.toMillis();
    if (millis < 1) {
      throw new IllegalArgumentException(owner + " " + what + ": an interval must be at least 1"
          + " ms, was " + interval);
    }
    if (closed) {
      throw new IllegalStateException(owner + "'s periodic tasks are closed: no " + what);
    }
    scheduled.add(scheduler.scheduleWithFixedDelay(logged(owner, what, task), millis, millis,
        TimeUnit.MILLISECONDS));
  }

  /**
   * {@code task}, with a failure logged as {@code owner}'s failed {@code what} instead of
   * thrown: for work a plugin also hands to the scheduler once, where an exception would go
   * unseen.
   */
  public static Runnable logged(String owner, String what, Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, owner + " " + what + " failed; the next one will try again", e);
      }
    };
  }

  /** Cancels every task, and refuses new ones; a run already going finishes. */
  @Override
  public synchronized void close() {
    closed = true;
    scheduled.forEach(f -> f.cancel(false));
  }
}
