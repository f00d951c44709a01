package io.warpengine.example.halflife.internal;

import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ShardView;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The engine's context, with an action run just before each {@link #deleteIf}: a test's way to
 * put a write exactly between a sweep's look at a key and its delete.
 */
record InterposedContext(PluginContext inner, Consumer<String> beforeDelete) implements PluginContext {

  @Override
  public boolean deleteIf(String key, BooleanSupplier condition) {
    beforeDelete.accept(key);
    return inner.deleteIf(key, condition);
  }

  @Override
  public String pluginName() {
    return inner.pluginName();
  }

  @Override
  public ShardView shards() {
    return inner.shards();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return inner.scheduler();
  }

  @Override
  public PluginConfig config() {
    return inner.config();
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    return inner.capability(type);
  }

  @Override
  public Optional<byte[]> recoveredMetadata() {
    return inner.recoveredMetadata();
  }

  @Override
  public boolean saveMetadata(byte[] payload) {
    return inner.saveMetadata(payload);
  }
}
