package io.warpengine.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.PutOptions;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.testkit.PluginConformance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Each check of the conformance suite fails a plugin that breaks its rule, and says which. */
class PluginConformanceSelfTest {

  private static PluginConformance suiteOf(Supplier<PhysicsPlugin> plugin) {
    return PluginConformance.of(new NamedPluginProvider("faulty", ctx -> plugin.get()) {})
        .workload(4, 2_000, 5);
  }

  private static void failsWith(PluginConformance suite, String expected) {
    AssertionError e = assertThrows(AssertionError.class, suite::checkAll);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aHookThatThrowsFails() {
    failsWith(suiteOf(() -> new PhysicsPlugin() {
      @Override
      public void onGet(String key, int shard, boolean hit) {
        throw new IllegalStateException("broken hook");
      }
    }), "hooks threw");
  }

  @Test
  void aHookThatAllocatesFails() {
    List<Object> retained = new ArrayList<>();
    failsWith(suiteOf(() -> new PhysicsPlugin() {
      @Override
      public synchronized void onPut(String key, int shard, int valueBytes, PutOptions options) {
        retained.add(new long[8]); // 80 bytes per put, kept: no escape analysis removes it
        if (retained.size() > 10_000) {
          retained.clear();
        }
      }
    }), "over the budget of 8.0");
  }

  @Test
  void aThreadLeftRunningFails() {
    CountDownLatch never = new CountDownLatch(1);
    try {
      failsWith(suiteOf(() -> new PhysicsPlugin() {
        @Override
        public void start() {
          Thread.ofPlatform().daemon().name("faulty-leak").start(() -> {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
        }
      }), "threads still running 5 s after the engines closed: [faulty-leak");
    } finally {
      never.countDown();
    }
  }

  @Test
  void aCloseThatThrowsFails() {
    failsWith(suiteOf(() -> new PhysicsPlugin() {
      @Override
      public void close() {
        throw new IllegalStateException("broken close");
      }
    }), "close or metrics threw");
  }

  /**
   * The plugin removes a key's value right after a read found it, so the workload's next read of
   * that key sees it gone. (It used to delete on a 1 ms timer, which a workload that finished
   * within a few milliseconds could outrun.)
   */
  @Test
  void aPluginThatRemovesValuesFailsTheRegisterModel() {
    failsWith(PluginConformance.of(new NamedPluginProvider("faulty", ctx -> new PhysicsPlugin() {
      @Override
      public void onGet(String key, int shard, boolean hit) {
        if (hit) {
          ctx.deleteIf(key, () -> true);
        }
      }
    }) {}).workload(4, 5_000, 5), "non-linearizable");
  }
}
