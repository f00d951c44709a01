package io.warpengine.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A plugin's periodic task survives a failed run, and close cancels every task. */
class PeriodicTasksTest {

  /** Keeps what is scheduled, never due, for the test to run by hand. */
  private static final class Recording extends ScheduledThreadPoolExecutor {
    final List<Runnable> tasks = new ArrayList<>();
    final List<ScheduledFuture<?>> futures = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();

    Recording() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay,
        TimeUnit unit) {
      tasks.add(task);
      delays.add(unit.toMillis(delay));
      ScheduledFuture<?> future = schedule(() -> { }, 1, TimeUnit.DAYS);
      futures.add(future);
      return future;
    }
  }

  private final Recording scheduler = new Recording();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aRunThatThrowsIsLoggedAndTheNextRunStillComes() {
    AtomicInteger runs = new AtomicInteger();
    PeriodicTasks tasks = new PeriodicTasks("test", scheduler);
    tasks.every(Duration.ofMillis(250), "pass", () -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("the first pass fails");
      }
    });
    assertEquals(List.of(250L), scheduler.delays);
    Runnable scheduled = scheduler.tasks.getFirst();
    assertDoesNotThrow(scheduled::run, "a failure stays inside the task");
    scheduled.run();
    assertEquals(2, runs.get(), "the run after the failed one happened");
  }

  @Test
  void closeCancelsEveryTask() {
    PeriodicTasks tasks = new PeriodicTasks("test", scheduler);
    tasks.every(Duration.ofMillis(1), "a", () -> { });
    tasks.every(Duration.ofSeconds(1), "b", () -> { });
    assertFalse(scheduler.futures.stream().anyMatch(ScheduledFuture::isCancelled));
    tasks.close();
    assertEquals(2, scheduler.futures.size());
    assertTrue(scheduler.futures.stream().allMatch(ScheduledFuture::isCancelled));
    assertThrows(IllegalStateException.class, () -> tasks.every(Duration.ofMillis(1), "c", () -> { }),
        "nothing scheduled after close, which nobody would cancel");
    assertEquals(2, scheduler.futures.size());
  }

  @Test
  void anIntervalUnderAMillisecondIsRefusedByName() {
    PeriodicTasks tasks = new PeriodicTasks("test", scheduler);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tasks.every(Duration.ofNanos(999_999), "drain", () -> { }));
    assertEquals("test drain: an interval must be at least 1 ms, was PT0.000999999S",
        e.getMessage());
    assertTrue(scheduler.tasks.isEmpty(), "nothing scheduled");
  }

  @Test
  void aLoggedTaskThrowsNothing() {
    Runnable failing = PeriodicTasks.logged("test", "prefetch", () -> {
      throw new IllegalStateException("no");
    });
    assertDoesNotThrow(failing::run);
  }
}
