package io.warpengine.testkit;

import io.warpengine.spi.PluginContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler a plugin's test drives by hand, so that it tests periodic work without sleeping:
 * it keeps the periodic tasks the plugin schedules and runs them only when the test calls
 * {@link #runPeriodic}, on the test's thread; their futures are never due, and the test can
 * check that the plugin's close cancelled them. Tasks submitted to run once run as usual, on
 * its own thread. Give it to a plugin with {@link #contextFor}.
 */
public final class ManualScheduler extends ScheduledThreadPoolExecutor {

  private final Map<Runnable, ScheduledFuture<?>> periodic = new LinkedHashMap<>();

  public ManualScheduler() {
    super(1, Thread.ofPlatform().daemon().factory());
  }

  /** The engine's context for a plugin, with this as its scheduler. */
  public PluginContext contextFor(PluginContext engine) {
    return new ForwardingPluginContext(engine) {
      @Override
      public ScheduledExecutorService scheduler() {
        return ManualScheduler.this;
      }
    };
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period,
      TimeUnit unit) {
    return keep(task);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay,
      TimeUnit unit) {
    return keep(task);
  }

  private synchronized ScheduledFuture<?> keep(Runnable task) {
    ScheduledFuture<?> future = schedule(() -> { }, 1, TimeUnit.DAYS); // never due in a test
    periodic.put(task, future);
    return future;
  }

  /**
   * Runs each periodic task that is not cancelled once, on the calling thread, as the scheduler
   * would when it is due.
   */
  public void runPeriodic() {
    List<Runnable> tasks;
    synchronized (this) {
      tasks = periodic.entrySet().stream().filter(e -> !e.getValue().isCancelled())
          .map(Map.Entry::getKey).toList();
    }
    tasks.forEach(Runnable::run);
  }

  /** Whether some periodic task was scheduled, and every one's future is cancelled. */
  public synchronized boolean periodicAllCancelled() {
    return !periodic.isEmpty() && periodic.values().stream().allMatch(Future::isCancelled);
  }
}
