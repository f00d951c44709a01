package io.warpengine.testkit;

import io.warpengine.api.PutOptions;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plugin under test, wrapped so that {@link PluginConformance} sees its lifecycle and every
 * exception it throws: each call, every hook included, is passed through unchanged, and
 * counted. The wrapper adds one call and no allocation to each hook.
 */
final class ObservedPlugin implements PhysicsPlugin {

  final PhysicsPlugin inner;
  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  final LongAdder hookFailures = new LongAdder();
  final LongAdder otherFailures = new LongAdder();
  /** Lifecycle calls in a wrong order, such as a start after close. */
  final List<String> misuse = new ArrayList<>();

  private ObservedPlugin(PhysicsPlugin inner) {
    this.inner = inner;
  }

  /** A provider of the same name whose plugins are observed; each one created is added to {@code created}. */
  static PhysicsPluginProvider wrap(PhysicsPluginProvider provider, List<ObservedPlugin> created) {
    return new PhysicsPluginProvider() {
      @Override
      public String name() {
        return provider.name();
      }

      @Override
      public PhysicsPlugin create(PluginContext context) {
        ObservedPlugin p = new ObservedPlugin(provider.create(context));
        created.add(p);
        return p;
      }
    };
  }

  @Override
  public void start() {
    if (closes.get() > 0 || starts.incrementAndGet() > 1) {
      misuse.add("start after " + starts.get() + " starts and " + closes.get() + " closes");
    }
    inner.start();
  }

  @Override
  public void beforePut(String key) {
    try {
      inner.beforePut(key);
    } catch (RuntimeException e) {
      hookFailures.increment();
      throw e;
    }
  }

  @Override
  public void onPut(String key, int shard, int valueBytes, PutOptions options) {
    try {
      inner.onPut(key, shard, valueBytes, options);
    } catch (RuntimeException e) {
      hookFailures.increment();
      throw e;
    }
  }

  @Override
  public void onGet(String key, int shard, boolean hit) {
    try {
      inner.onGet(key, shard, hit);
    } catch (RuntimeException e) {
      hookFailures.increment();
      throw e;
    }
  }

  @Override
  public void onDelete(String key, int shard) {
    try {
      inner.onDelete(key, shard);
    } catch (RuntimeException e) {
      hookFailures.increment();
      throw e;
    }
  }

  @Override
  public void onLoad(String key, int shard) {
    try {
      inner.onLoad(key, shard);
    } catch (RuntimeException e) {
      hookFailures.increment();
      throw e;
    }
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    return inner.capability(type);
  }

  @Override
  public Map<String, Number> metrics() {
    try {
      return inner.metrics();
    } catch (RuntimeException e) {
      otherFailures.increment();
      throw e;
    }
  }

  @Override
  public void close() {
    closes.incrementAndGet();
    try {
      inner.close();
    } catch (RuntimeException e) {
      otherFailures.increment();
      throw e;
    }
  }
}
